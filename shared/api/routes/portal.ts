import { defineRoutes } from "./route";

/** The portal's own files at the site root: its page, and the hashed bundles the page loads. */
export const portalRoutes = defineRoutes({
  portalIndex: {
    method: "get",
    path: "/",
    summary: "The portal's page",
    auth: "none",
    portal: true,
    response: { status: 200, description: "index.html (no-cache, with the Content-Security-Policy)." },
  },
  portalAsset: {
    method: "get",
    path: "/assets/{name}",
    summary: "A hashed portal bundle (script, style sheet)",
    auth: "none",
    portal: true,
    response: { status: 200, description: "The file, cached for a year (its name changes with its content)." },
  },
});
