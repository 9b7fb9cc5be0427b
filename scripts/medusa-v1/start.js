// Start Medusa v1 bound to 127.0.0.1 only (used by scripts/real-medusa-v1).
//
// `medusa start` listens on every interface (`::`), so this does what its start command does
// (run Medusa's loaders on an express app, graceful shutdown on SIGTERM/SIGINT) but listens on
// loopback. It also leaves out the CLI's telemetry ping. Environment:
//   PORT              port to listen on (default 9001)
//   DATABASE_URL      read by medusa-config.js
"use strict";

require("core-js/stable");
require("regenerator-runtime/runtime");

const path = require("path");
const medusaDir = path.dirname(require.resolve("@medusajs/medusa/package.json"));
const fromMedusa = (id) => require(require.resolve(id, { paths: [medusaDir] }));

const express = fromMedusa("express");
const { GracefulShutdownServer } = fromMedusa("medusa-core-utils");
const loaders = require("@medusajs/medusa/dist/loaders").default;
const logger = require("@medusajs/medusa/dist/loaders/logger").default;

const HOST = "127.0.0.1";
const PORT = Number.parseInt(process.env.PORT || "9001", 10);

async function main() {
  const app = express();
  const { shutdown, prepareShutdown } = await loaders({
    directory: __dirname,
    expressApp: app,
  });

  const httpServer = app.listen(PORT, HOST);
  httpServer.on("error", (err) => {
    logger.error(`Cannot listen on ${HOST}:${PORT}: ${err.message}`);
    process.exit(1);
  });
  httpServer.on("listening", () => {
    logger.info(`Server is ready on http://${HOST}:${PORT} (pid ${process.pid})`);
  });
  const server = GracefulShutdownServer.create(httpServer);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    // Do not hang forever on a stuck connection.
    setTimeout(() => process.exit(0), 5000).unref();
    server
      .shutdown()
      .then(() => prepareShutdown())
      .then(() => shutdown())
      .then(() => process.exit(0))
      .catch((e) => {
        logger.error("Error while shutting down", e);
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err) => {
  logger.error("Error starting server", err);
  process.exit(1);
});
