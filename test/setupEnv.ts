// Runs before every test file (jest `setupFiles`). The tests build derivations
// that exist in no binary cache, and CI has no network: without this, Nix asks
// cache.nixos.org about every path it builds and waits about 5 s each time.
process.env.NIX_CONFIG = `substituters =\n${process.env.NIX_CONFIG ?? ''}`;
