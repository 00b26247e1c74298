import { app } from "@azure/functions";
import { services } from "../shared/services";

/**
 * On start, data keys still kept unwrapped (as before wrapping) are wrapped and their vault secrets
 * purged, one log line each. A failure here stops nothing: the data path upgrades a key it meets too.
 */
app.hook.appStart(async () => {
  try {
    await services().dataKeys.upgradeAll();
  } catch (error) {
    console.warn(`Data key upgrade on start did not finish: ${error instanceof Error ? error.message : String(error)}`);
  }
});
