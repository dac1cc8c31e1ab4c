// The Vercel AI SDK's OpenAI responses model against the emulator: a plain answer, a streamed
// answer, a function-tool round trip and a structured object. Prints one JSON line per check;
// the pytest side (test_node_clients.py) asserts on them. Usage: node ai_sdk_check.mjs BASE_URL
import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, generateText, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";

const openai = createOpenAI({ baseURL: process.argv[2], apiKey: "sk-test" });
const model = openai.responses("gpt-test");
const report = (check, value) => console.log(JSON.stringify({ check, ...value }));

const plain = await generateText({ model, prompt: "[[reply:hello from the AI SDK]]", maxRetries: 0 });
report("generate", { text: plain.text, finishReason: plain.finishReason });

const streamed = streamText({ model, prompt: "[[reply:streamed through the AI SDK]]", maxRetries: 0 });
const parts = [];
for await (const part of streamed.textStream) parts.push(part);
report("stream", { text: parts.join(""), deltas: parts.length });

const calls = [];
const withTool = await generateText({
  model,
  maxRetries: 0,
  prompt: '[[call:get_weather {"city": "Oslo"}]] weather?',
  tools: {
    get_weather: tool({
      description: "Today's weather in a city.",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return `sunny in ${city}`;
      },
    }),
  },
  stopWhen: stepCountIs(3),
});
report("tools", { calls, steps: withTool.steps.length, text: withTool.text });

const object = await generateObject({
  model,
  maxRetries: 0,
  schema: z.object({ name: z.string(), country: z.string() }),
  prompt: '[[reply:{"name": "Oslo", "country": "Norway"}]]',
});
report("object", { object: object.object });
