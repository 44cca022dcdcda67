import { describe, expect, it } from "vitest";
import { exampleLink, fileNameOf, parseLink } from "./links.js";

describe("playground links", () => {
  it("defaults to the cube -> prism example, not training", () => {
    expect(parseLink("")).toEqual({ kind: "example", name: "cube_to_prism", train: false });
  });
  it("reads ?example= and &train=1", () => {
    expect(parseLink("?example=charged_particle&train=1")).toEqual({ kind: "example", name: "charged_particle", train: true });
    expect(parseLink("?example=charged_particle&train=0").train).toBe(false);
  });
  it("reads ?spec=<url>&data=<url>, the spec winning over an example", () => {
    expect(parseLink("?spec=https%3A%2F%2Fh.example%2Fa.regnn&data=d.xyz&example=x")).toEqual({ kind: "url", spec: "https://h.example/a.regnn", data: "d.xyz", train: false });
    expect(parseLink("?spec=a.regnn")).toEqual({ kind: "url", spec: "a.regnn", train: false });
  });
  it("takes a data link alongside an example", () => {
    expect(parseLink("?example=cube_to_box&data=mine.json&train=1")).toEqual({ kind: "data-only", example: "cube_to_box", data: "mine.json", train: true });
  });
  it("round-trips an example link", () => {
    expect(parseLink(exampleLink("cube_to_cube", true))).toEqual({ kind: "example", name: "cube_to_cube", train: true });
  });
  it("reads &discover=1 beside the other parameters, and round-trips it", () => {
    expect(parseLink("?example=cube_to_prism&discover=1")).toEqual({ kind: "example", name: "cube_to_prism", train: false, discover: true });
    expect(parseLink("?spec=a.regnn&data=d.json&train=1&discover=1")).toEqual({ kind: "url", spec: "a.regnn", data: "d.json", train: true, discover: true });
    expect(parseLink("?example=x&discover=0")).not.toHaveProperty("discover");
    expect(parseLink(exampleLink("cube_to_box", false, true))).toEqual({ kind: "example", name: "cube_to_box", train: false, discover: true });
  });
  it("names files by their last path segment", () => {
    expect(fileNameOf("/data/cube%20box.extxyz?x=1", "http://127.0.0.1/", "data.json")).toBe("cube box.extxyz");
    expect(fileNameOf("/dir/", "http://127.0.0.1/", "data.json")).toBe("data.json");
  });
});
