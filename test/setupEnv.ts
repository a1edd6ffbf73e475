import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs before every test file (jest `setupFiles`). The tests build derivations
// that exist in no binary cache, and CI has no network: without this, Nix asks
// cache.nixos.org about every path it builds and waits about 5 s each time.
process.env.NIX_CONFIG = `substituters =\n${process.env.NIX_CONFIG ?? ''}`;

// Every CLI a test starts writes its caches (images, the parse cache, rebuild
// records) under /tmp, never into the user's ~/.cache: tests that need a cache
// of their own set TSPORTABLE_CACHE_DIR themselves (test/e2e/cli.ts).
process.env.TSPORTABLE_CACHE_DIR ??= join(tmpdir(), `tsportable-test-cache-${process.getuid?.() ?? 0}`);
