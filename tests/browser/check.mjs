// Headless Chromium over flisbot's pages, for tests/cli/web_pages.rs: for every shot asked
// for (a page at a width in a colour scheme), a screenshot of the whole page and of its first
// screen, what the page says (DOM facts), and axe-core's accessibility check (WCAG 2.x A and AA
// rules and axe's best practices). Reads a JSON plan on stdin:
//   {"chromium": "/usr/bin/chromium", "out": "DIR",
//    "shots": [{"name", "url", "width": {"name", "width", "height"}, "scheme": "light"|"dark"}]}
// and writes one JSON object on stdout: {"pages": [{name, url, width, scheme, screenshot,
// facts, violations, rules}]}. The assertions are the Rust test's; this only looks.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const plan = JSON.parse(readFileSync(0, "utf8"));

// What a page says, read from the DOM as a person would see it.
function pageFacts() {
  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : null);
  const banner = document.querySelector(".banner");
  const rows = [...document.querySelectorAll("table.areas tbody tr")].map((tr) => ({
    id: (tr.querySelector("th a")?.getAttribute("href") || "").replace("/omraade/", ""),
    problem: tr.classList.contains("problem"),
    state: [...tr.classList].find((c) => c.startsWith("state-"))?.slice(6) || null,
  }));
  const days = [...document.querySelectorAll("table.days tbody tr")].map((tr) => ({
    anchor: tr.id,
    when: text(tr.querySelector("th")),
    what: text(tr.querySelector("td[data-label=Udgivelse]")),
    months: text(tr.querySelector("td[data-label='Data t.o.m.']")),
    status: text(tr.querySelector(".status")),
    past: tr.classList.contains("past"),
  }));
  const abbrs = [...document.querySelectorAll("abbr")].map((a) => ({
    text: a.textContent,
    title: a.getAttribute("title"),
  }));
  const subscribe = [...document.querySelectorAll(".subscribe a")].map((a) => a.getAttribute("href"));
  // Nothing wider than the window: a phone must not scroll sideways.
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  // Table cells whose text runs out of them (into the next column): by the cell's own box.
  const spilling = [...document.querySelectorAll("th, td")]
    .filter((c) => c.scrollWidth > c.clientWidth + 1)
    .map((c) => text(c));
  // Tables whose rows' first words do not start at one left edge (a row's border shifting it).
  const textLeft = (cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const first = range.getClientRects()[0];
    return first ? Math.round(first.left) : null;
  };
  const ragged = [...document.querySelectorAll("table")]
    .filter((t) => getComputedStyle(t).display === "table")
    .filter((t) => new Set([...t.querySelectorAll("tr")].map((r) => textLeft(r.firstElementChild))).size > 1)
    .map((t) => text(t.querySelector("caption, th")));
  const bg = getComputedStyle(document.body).backgroundColor;
  return {
    title: document.title,
    h1: text(document.querySelector("h1")),
    banner: banner ? { text: text(banner.querySelector(".banner-title")), class: banner.className, problems: banner.dataset.problems || null } : null,
    rows,
    days,
    abbrs,
    subscribe,
    scripts: document.querySelectorAll("script").length,
    overflow,
    spilling,
    ragged,
    background: bg,
    text: text(document.querySelector("main")),
  };
}

const browser = await chromium.launch({
  executablePath: plan.chromium,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const results = [];
const contexts = new Map();
try {
  for (const shot of plan.shots) {
    const w = shot.width;
    const key = `${w.name}-${shot.scheme}`;
    if (!contexts.has(key)) {
      const context = await browser.newContext({
        viewport: { width: w.width, height: w.height },
        colorScheme: shot.scheme,
        locale: "da-DK",
      });
      contexts.set(key, await context.newPage());
    }
    const page = contexts.get(key);
    const response = await page.goto(shot.url, { waitUntil: "load" });
    const facts = await page.evaluate(pageFacts);
    facts.status = response ? response.status() : null;
    const screenshot = join(plan.out, `${shot.name}-${w.name}-${shot.scheme}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    // The first screen alone: what a visitor sees before scrolling.
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-first-screen.png") });
    // axe goes in through the DevTools protocol: the page's own policy allows no script.
    await page.evaluate(axeSource);
    const axe = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      }),
    );
    const violations = axe.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
    }));
    const rules = axe.passes.length + axe.violations.length + axe.incomplete.length;
    results.push({ name: shot.name, url: shot.url, width: w.name, scheme: shot.scheme, screenshot, facts, violations, rules });
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ pages: results }) + "\n");
