// A Lambda-like Node.js runtime for one function: reads one JSON request per line on stdin
// ({event, context}), answers one JSON line on stdout ({result} or Lambda's error object
// {errorType, errorMessage, trace}, plus logs: what the handler printed).
// Started by mock_cognito.triggers.runner as `node bootstrap_node.js <task root> <handler>`.
// Handlers may be async, use the callback, or context.succeed/fail/done; CommonJS or ES modules.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const util = require('util');
const { pathToFileURL } = require('url');

const [taskRoot, handler] = process.argv.slice(2);
const dot = handler.lastIndexOf('.');
const file = handler.slice(0, dot);
const name = handler.slice(dot + 1);
const protocol = process.stdout.write.bind(process.stdout);
let logs = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[level] = (...args) => { logs.push(util.format(...args)); };
}
process.stdout.write = (chunk) => { logs.push(String(chunk)); return true; };

async function load() {
  const base = path.join(taskRoot, file);
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).filter((p) => fs.existsSync(p));
  if (!candidates.length) {
    return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot find module '${file}'` } };
  }
  try {
    const mod = candidates[0].endsWith('.mjs') ? await import(pathToFileURL(candidates[0]).href) : require(candidates[0]);
    const fn = mod[name] || (mod.default && mod.default[name]);
    if (typeof fn !== 'function') {
      return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${file}.${name} is undefined or not exported` } };
    }
    return { fn };
  } catch (e) {
    return { error: { errorType: 'Runtime.ImportModuleError', errorMessage: String(e && e.stack || e) } };
  }
}

function makeContext(data) {
  const deadline = Date.now() + data.timeout_ms;
  return {
    functionName: data.function_name, functionVersion: '$LATEST', invokedFunctionArn: data.invoked_function_arn,
    memoryLimitInMB: String(data.memory_limit_in_mb || '128'), awsRequestId: data.aws_request_id,
    logGroupName: `/aws/lambda/${data.function_name}`, logStreamName: data.log_stream_name || '',
    callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function invoke(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    context.done = callback;
    context.succeed = (result) => resolve(result);
    context.fail = (err) => reject(err);
    try {
      const out = fn(event, context, callback);
      if (out && typeof out.then === 'function') out.then(resolve, reject);
      else if (fn.length < 3) resolve(out);
    } catch (e) { reject(e); }
  });
}

function errorObject(e) {
  if (e instanceof Error) {
    return { errorType: e.name || 'Error', errorMessage: e.message, trace: String(e.stack || '').split('\n') };
  }
  return { errorType: typeof e, errorMessage: String(e), trace: [] };
}

(async () => {
  const loaded = await load();
  protocol('{"ready": true}\n');   // the init phase is over (it does not count against Timeout)
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const request = JSON.parse(line);
    logs = [];
    let out;
    if (loaded.error) out = loaded.error;
    else {
      try { out = { result: (await invoke(loaded.fn, request.event, makeContext(request.context))) ?? null }; }
      catch (e) { logs.push(String(e && e.stack || e)); out = errorObject(e); }
    }
    out.logs = logs.join('\n') + (logs.length ? '\n' : '');
    protocol(JSON.stringify(out) + '\n');
  }
})();
