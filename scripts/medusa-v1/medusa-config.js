// Medusa v1 config for the local development/CI server started by scripts/real-medusa-v1.
// Values come from the environment that script sets; the defaults match its defaults.
// No redis_url: Medusa v1 then uses its in-memory session store, the local event bus
// and the in-memory cache (both installed from package.json).
const DATABASE_URL =
  process.env.DATABASE_URL ||
  "postgres://medusa:medusa@127.0.0.1:54329/medusa";

module.exports = {
  projectConfig: {
    database_type: "postgres",
    database_url: DATABASE_URL,
    database_logging: false,
    // Local-only secrets: this server only ever listens on 127.0.0.1.
    jwt_secret: process.env.JWT_SECRET || "local-dev-jwt-secret",
    cookie_secret: process.env.COOKIE_SECRET || "local-dev-cookie-secret",
    admin_cors: process.env.ADMIN_CORS || "http://localhost:7001,http://127.0.0.1:7001",
    store_cors: process.env.STORE_CORS || "http://localhost:8000,http://127.0.0.1:8000",
  },
  plugins: [],
};
