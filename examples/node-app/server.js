// A user's own web app, unmodified for the harness: it signs in with a Cognito user pool's hosted
// UI (authorization code + PKCE), exchanges the code at /oauth2/token, verifies the ID token with
// aws-jwt-verify's CognitoJwtVerifier against the pool's JWKS, and shows the claims. Behind an
// ALB with authenticate-cognito it verifies x-amzn-oidc-data with aws-jwt-verify's AlbJwtVerifier.
//
// Against a harness world it needs nothing but `harness env` (HTTPS_PROXY, NODE_EXTRA_CA_CERTS):
// Node's fetch ignores HTTPS_PROXY, so the app routes it through undici's EnvHttpProxyAgent, the
// way any Node app behind a corporate proxy does.
//
//   COGNITO_DOMAIN   https://myapp.auth.us-east-1.amazoncognito.com
//   USER_POOL_ID     us-east-1_xxxxxxxxx
//   CLIENT_ID / CLIENT_SECRET
//   APP_URL          http://localhost:3000   (the callback is APP_URL + /callback)
//   IDENTITY_PROVIDER  optional: skip the hosted UI's /login page (e.g. Okta)
//   ALB_ARN          optional: enables /alb, which verifies x-amzn-oidc-data
//   PORT             3000
"use strict";

const http = require("node:http");
const crypto = require("node:crypto");
const { setGlobalDispatcher, EnvHttpProxyAgent } = require("undici");
const { CognitoJwtVerifier, AlbJwtVerifier } = require("aws-jwt-verify");
const { SimpleJwksCache } = require("aws-jwt-verify/jwk");
const { AlbJwksCache } = require("aws-jwt-verify/alb-cache");

setGlobalDispatcher(new EnvHttpProxyAgent());

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`set ${name}`);
  return value;
};
const PORT = Number(env("PORT", "3000"));
const APP_URL = env("APP_URL", `http://localhost:${PORT}`);
const DOMAIN = env("COGNITO_DOMAIN");
const POOL_ID = env("USER_POOL_ID");
const CLIENT_ID = env("CLIENT_ID");
const CLIENT_SECRET = env("CLIENT_SECRET", "");
const IDENTITY_PROVIDER = process.env.IDENTITY_PROVIDER;
const ALB_ARN = process.env.ALB_ARN;
const REGION = POOL_ID.split("_")[0];
const CALLBACK = `${APP_URL}/callback`;

// aws-jwt-verify fetches keys with node:https, which knows no proxy: hand it a fetcher on the
// (proxied) global fetch instead.
const fetcher = {
  async fetch(uri) {
    const response = await fetch(uri);
    if (response.status !== 200) throw new Error(`${uri}: status ${response.status}`);
    return response.arrayBuffer();
  },
};
const idVerifier = CognitoJwtVerifier.create(
  { userPoolId: POOL_ID, tokenUse: "id", clientId: CLIENT_ID },
  { jwksCache: new SimpleJwksCache({ fetcher }) },
);
const albVerifier = ALB_ARN
  ? AlbJwtVerifier.create(
      { albArn: ALB_ARN, issuer: `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`, clientId: CLIENT_ID },
      { jwksCache: new AlbJwksCache({ fetcher }) },
    )
  : null;

const pending = new Map(); // state -> PKCE verifier
const sessions = new Map(); // sid -> {claims}

const b64url = (buf) => buf.toString("base64url");
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cookies = (req) =>
  Object.fromEntries((req.headers.cookie || "").split(";").filter(Boolean).map((c) => {
    const i = c.indexOf("=");
    return [c.slice(0, i).trim(), decodeURIComponent(c.slice(i + 1).trim())];
  }));

function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...headers });
  res.end(body);
}

function page(title, body) {
  return `<!doctype html><html><head><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function login(res) {
  const state = b64url(crypto.randomBytes(24));
  const verifier = b64url(crypto.randomBytes(32));
  pending.set(state, verifier);
  const query = new URLSearchParams({
    response_type: "code", client_id: CLIENT_ID, redirect_uri: CALLBACK, scope: "openid email profile", state,
    code_challenge_method: "S256", code_challenge: b64url(crypto.createHash("sha256").update(verifier).digest()),
  });
  if (IDENTITY_PROVIDER) query.set("identity_provider", IDENTITY_PROVIDER);
  send(res, 302, "", { Location: `${DOMAIN}/oauth2/authorize?${query}` });
}

async function callback(req, res, url) {
  const state = url.searchParams.get("state");
  const verifier = pending.get(state);
  pending.delete(state);
  if (url.searchParams.get("error")) {
    const text = `${url.searchParams.get("error")}: ${url.searchParams.get("error_description") || ""}`;
    return send(res, 400, page("Sign-in failed", `<p id="error">${escape(text)}</p>`));
  }
  if (!verifier) return send(res, 400, page("Sign-in failed", `<p id="error">unknown state</p>`));
  const headers = { "Content-Type": "application/x-www-form-urlencoded" };
  if (CLIENT_SECRET) headers.Authorization = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
  const tokenResponse = await fetch(`${DOMAIN}/oauth2/token`, {
    method: "POST", headers,
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: CLIENT_ID, code: url.searchParams.get("code") || "",
      redirect_uri: CALLBACK, code_verifier: verifier }),
  });
  const tokens = await tokenResponse.json();
  if (tokenResponse.status !== 200) {
    return send(res, 502, page("Sign-in failed", `<p id="error">token endpoint: ${escape(JSON.stringify(tokens))}</p>`));
  }
  let claims;
  try {
    claims = await idVerifier.verify(tokens.id_token);
  } catch (err) {
    return send(res, 401, page("Sign-in failed", `<p id="error">ID token rejected: ${escape(err.message)}</p>`));
  }
  const sid = b64url(crypto.randomBytes(24));
  sessions.set(sid, { claims });
  send(res, 302, "", { Location: "/", "Set-Cookie": `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

async function alb(req, res) {
  if (!albVerifier) return send(res, 404, page("Not configured", "<p>set ALB_ARN</p>"));
  const data = req.headers["x-amzn-oidc-data"];
  if (!data) return send(res, 401, page("No ALB session", `<p id="error">no x-amzn-oidc-data header</p>`));
  try {
    const claims = await albVerifier.verify(data);
    const identity = req.headers["x-amzn-oidc-identity"];
    send(res, 200, page("Signed in through the ALB",
      `<p id="identity">${escape(identity)}</p><pre id="claims">${escape(JSON.stringify(claims, null, 2))}</pre>`));
  } catch (err) {
    send(res, 401, page("ALB token rejected", `<p id="error">${escape(err.name)}: ${escape(err.message)}</p>`));
  }
}

function home(req, res) {
  const session = sessions.get(cookies(req).sid);
  if (!session) return send(res, 200, page("Example Node app", `<a id="sign-in" href="/login">Sign in</a>`));
  send(res, 200, page("Signed in", `<pre id="claims">${escape(JSON.stringify(session.claims, null, 2))}</pre>`));
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, APP_URL);
  try {
    if (url.pathname === "/") return home(req, res);
    if (url.pathname === "/login") return login(res);
    if (url.pathname === "/callback") return await callback(req, res, url);
    if (url.pathname === "/alb") return await alb(req, res);
    if (url.pathname === "/healthz") return send(res, 200, "ok", { "Content-Type": "text/plain" });
    send(res, 404, page("Not found", ""));
  } catch (err) {
    send(res, 500, page("Error", `<p id="error">${escape(err.message)}</p>`));
  }
});
server.listen(PORT, "127.0.0.1", () => console.log(`example node app on ${APP_URL}`));
