//! Activated jobs and the commands sent back to the engine.
