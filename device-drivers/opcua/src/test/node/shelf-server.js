// Independent OPC UA peer for the driver tests: a node-opcua server with one Double weight
// variable per lane, ns=1;s=Shelf1.Lane<n>.WeightGrams, on 127.0.0.1.
//
// usage: node shelf-server.js <port> <pkiDir> [trustedClientCertificate.der]
//   Offers None and Basic256Sha256/SignAndEncrypt endpoints, anonymous and user name logins
//   (user shelf-reader, password read from the environment variable SHELF_PASSWORD).
//   Writes its own certificate (DER) to <pkiDir>/server-cert.der, then prints "ready <port>".
// stdin, one command a line (answered with "ok <line>" or "error <message>"):
//   set <name> <number>    good value, source time now
//   bad <name> <StatusCodeName>   e.g. bad Shelf1.Lane1.WeightGrams BadSensorFailure
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const {
  OPCUAServer, OPCUACertificateManager, Variant, DataType, StatusCodes, SecurityPolicy, MessageSecurityMode,
} = require("node-opcua");

const LANES = ["Shelf1.Lane1.WeightGrams", "Shelf1.Lane2.WeightGrams", "Shelf1.Lane3.WeightGrams"];

async function main() {
  const port = parseInt(process.argv[2], 10);
  const pkiDir = process.argv[3];
  const trustFile = process.argv[4];
  const password = process.env.SHELF_PASSWORD || "weigh-it-2024";
  if (!port || !pkiDir) {
    throw new Error("usage: node shelf-server.js <port> <pkiDir> [trustedClientCertificate.der]");
  }
  fs.mkdirSync(pkiDir, { recursive: true });
  const certificateManager = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false });
  await certificateManager.initialize();
  if (trustFile) {
    await certificateManager.trustCertificate(fs.readFileSync(trustFile));
  }

  const server = new OPCUAServer({
    port,
    host: "127.0.0.1",
    hostname: "127.0.0.1",
    resourcePath: "/shelves",
    serverCertificateManager: certificateManager,
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: true,
    userManager: { isValidUser: (user, pw) => user === "shelf-reader" && pw === password },
    buildInfo: { productName: "storeedge-test-shelf", buildNumber: "1" },
  });
  await server.initialize();

  const addressSpace = server.engine.addressSpace;
  const namespace = addressSpace.getOwnNamespace();
  const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: "Shelves" });
  const variables = {};
  for (const name of LANES) {
    variables[name] = namespace.addVariable({
      organizedBy: folder,
      nodeId: "s=" + name,
      browseName: name,
      dataType: "Double",
      minimumSamplingInterval: 10,
      value: new Variant({ dataType: DataType.Double, value: 0 }),
    });
  }

  await server.start();
  fs.writeFileSync(path.join(pkiDir, "server-cert.der"), server.getCertificate());

  const rl = readline.createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    const [cmd, name, arg] = line.trim().split(/\s+/);
    const v = variables[name];
    try {
      if (!v) {
        throw new Error("no variable " + name);
      }
      if (cmd === "set") {
        v.setValueFromSource(new Variant({ dataType: DataType.Double, value: Number(arg) }), StatusCodes.Good, new Date());
      } else if (cmd === "bad") {
        const status = StatusCodes[arg];
        if (!status) {
          throw new Error("no status code " + arg);
        }
        v.setValueFromSource(new Variant({ dataType: DataType.Double, value: 0 }), status, new Date());
      } else {
        throw new Error("unknown command " + cmd);
      }
      console.log("ok " + line.trim());
    } catch (e) {
      console.log("error " + e.message);
    }
  });
  // The test owns this process: when it closes stdin, stop.
  rl.on("close", async () => {
    await server.shutdown(0);
    process.exit(0);
  });
  console.log("ready " + port);
}

main().catch((e) => {
  console.error("failed: " + (e && e.stack ? e.stack : e));
  process.exit(1);
});
