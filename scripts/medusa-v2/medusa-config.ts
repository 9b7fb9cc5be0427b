// Medusa v2 config for the local development/CI server started by scripts/real-medusa-v2.
// Values come from the environment that script sets; the defaults match its defaults.
// No Redis: Medusa v2 then uses its in-memory event bus, cache, locking, workflow engine and
// session store. No admin dashboard (nothing to build, nothing served under /app).
import { defineConfig } from "@medusajs/framework/utils"

const local = (name: string, fallback: string): string => process.env[name] || fallback

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: local("DATABASE_URL", "postgres://medusa:medusa@127.0.0.1:54339/medusa"),
    databaseLogging: false,
    http: {
      storeCors: local("STORE_CORS", "http://localhost:8000,http://127.0.0.1:8000"),
      adminCors: local("ADMIN_CORS", "http://localhost:7001,http://127.0.0.1:7001"),
      authCors: local("AUTH_CORS", "http://localhost:7001,http://127.0.0.1:7001"),
      // Local-only secrets: this server only ever listens on 127.0.0.1.
      jwtSecret: local("JWT_SECRET", "local-dev-jwt-secret"),
      cookieSecret: local("COOKIE_SECRET", "local-dev-cookie-secret"),
    },
  },
  admin: {
    disable: true,
  },
})
