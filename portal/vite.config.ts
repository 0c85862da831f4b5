import { defineConfig } from 'vite';

// Served by the gateway at /portal/ (its redirect URI in the Keycloak realm is [gateway]/portal/*).
export default defineConfig({
  base: '/portal/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The name font is large on purpose (every kanji, with its variation sequences); it is cached for good.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
} as never);
