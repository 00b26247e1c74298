// The one entry `package.json` main points at: every Ferry function registers on import.
import { app } from "@azure/functions";
import "./http/health";

// Change batches are streamed request bodies of tens of MiB: never buffer them whole.
app.setup({ enableHttpStream: true });
