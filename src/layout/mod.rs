//! Page layout to GB/T 9704-2012: line breaking now; pages, tables and contents follow.

pub mod linebreak;
