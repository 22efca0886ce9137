// The console report (renderConsole): one line per check, score, verdict and reasons; colour only
// when asked (NO_COLOR, FORCE_COLOR); a staging target shown as host:port/database.
import { describe, expect, it } from "vitest";
import { goFiles, holdFiles, sampleReport } from "../../test/support/samples.js";
import { renderConsole, wantColor } from "./console.js";

const go = goFiles();
const hold = holdFiles();

describe("console", () => {
  it("one line per check, the score, the verdict, the reasons", () => {
    const text = renderConsole(sampleReport(hold), { color: false });
    expect(text).toMatch(/PASS {2}S0 {4}Section 0 pre-flight/);
    expect(text).toMatch(/FAIL {2}I2 {4}Data validation constraints/);
    expect(text).toContain("score     14/15 (93.3%)");
    expect(text).toContain("verdict   HOLD");
    expect(text).toContain("reasons   - 1 important check failed (I2)");
    expect(text).toContain("wanted: ZA001");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for escape codes
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("colours only when asked", () => {
    expect(renderConsole(sampleReport(go), { color: true })).toContain("\u001b[32mPASS");
  });

  it("honours NO_COLOR and FORCE_COLOR", () => {
    expect(wantColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantColor({ isTTY: true }, {})).toBe(true);
    expect(wantColor({ isTTY: false }, {})).toBe(false);
    expect(wantColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });

  it("shows a staging target as host:port/database", () => {
    expect(renderConsole(sampleReport(go, "url"), { color: false })).toContain(
      "target    staging.example.com:5432/apms",
    );
  });
});
