//! One test binary for the whole suite: one link instead of one per file.

mod common;
mod build;
mod document;
mod formats;
mod hostile;
mod init_and_schema;
mod invalid_fixtures;
mod lang;
mod policy_packs;
mod rosters;
mod verify;
mod verify_archive;
mod verify_render;
mod policy_dirs;
mod imports;
mod hostile_limits;
mod privacy;
mod fuzz;
mod changed;
mod absent_sections;
mod bound;
mod places;
mod applicant_mistakes;
mod contract;
mod verify_materials;
mod verify_cross;
