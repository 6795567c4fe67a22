// Checks a Teams webhook body as flisbot sends it: the envelope Teams' Workflows trigger "When a
// Teams webhook request is received" takes, and its Adaptive Card read by the Adaptive Cards
// reference library (npm adaptivecards, pinned in package.json). Any parse warning (an unknown
// element or property value), any validation failure, or a card element the library dropped
// fails the check. Usage: node check_card.js BODY.json; prints "ok" or what is wrong (exit 1).
"use strict";
const fs = require("fs");
const path = require("path");
// The package's UMD build: its ES modules do not load in Node without a bundler.
const AC = require(path.join(__dirname, "node_modules", "adaptivecards", "dist", "adaptivecards.js"));

const problems = [];
const body = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (body.type !== "message") problems.push(`type is ${body.type}, not "message"`);
if (!Array.isArray(body.attachments) || body.attachments.length !== 1) {
  problems.push("not exactly one attachment");
}
const attachment = (body.attachments || [])[0] || {};
if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
  problems.push(`contentType is ${attachment.contentType}`);
}
const content = attachment.content || {};
if (content.type !== "AdaptiveCard") problems.push(`content.type is ${content.type}`);
if (!(parseFloat(content.version) >= 1.4)) problems.push(`version ${content.version} < 1.4`);

const card = new AC.AdaptiveCard();
const ctx = new AC.SerializationContext();
card.parse(content, ctx);
for (let i = 0; i < ctx.eventCount; i++) {
  const e = ctx.getEventAt(i);
  problems.push(`parse: ${e.message}`);
}
for (const e of card.validateProperties().validationEvents) {
  problems.push(`validation: ${e.message}`);
}
const back = card.toJSON();
const count = (c) => (c.body || []).length + (c.actions || []).length;
if (count(back) !== count(content)) {
  problems.push(`the library kept ${count(back)} of ${count(content)} elements and actions`);
}
for (const block of content.body || []) {
  if (block.type === "TextBlock" && !(typeof block.text === "string" && block.text.length > 0)) {
    problems.push("an empty TextBlock");
  }
}
if (problems.length > 0) {
  console.log(problems.join("\n"));
  process.exit(1);
}
console.log("ok");
