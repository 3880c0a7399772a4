// Exists so the precompiled Catch2 header has a target to live in.
