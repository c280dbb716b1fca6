//! The command line's batch job as a library: the Python package runs `extract` through it,
//! so a batch from Python writes exactly the dataset the command writes.

pub mod extract;
