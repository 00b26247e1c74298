import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import stylistic from "@stylistic/eslint-plugin";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".data/**",
      "coverage/**",
      "bench/.work/**",
      ".deploy/**",
      ".azure/**",
      "tests/.output/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-console": "off",
      // `import { z }` takes zod's whole namespace object and defeats tree shaking: the portal bundle
      // grew by 65 KiB gzipped from one such import. Use `import * as z from "zod"`.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
          message: 'Use `import * as z from "zod"` (tree-shakable).',
        },
      ],
    },
  },
  {
    // Production code: the formatter keeps code within 120 columns; this also holds strings and comments to it.
    files: [
      "functions/**/*.ts",
      "shared/**/*.ts",
      "agent/**/*.ts",
      "devhost/**/*.ts",
      "local/**/*.ts",
      "demo/**/*.ts",
      "client/**/*.ts",
      "cli/**/*.ts",
      "scripts/**/*.ts",
      "portal/**/*.ts",
      "portal/**/*.tsx",
    ],
    plugins: { "@stylistic": stylistic },
    rules: { "@stylistic/max-len": ["error", { code: 120, ignoreUrls: true }] },
  },
  {
    // The portal runs in the browser.
    files: ["portal/app/**/*.ts", "portal/app/**/*.tsx"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Fixture apps are plain CommonJS Functions apps, as users write them; a test's preload is plain CommonJS too.
    files: ["tests/fixtures/**/*.js", "tests/support/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
