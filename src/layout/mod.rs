//! Page layout to GB/T 9704-2012: fonts, CJK line breaking, pages.

pub mod linebreak;
pub mod pages;
pub mod style;
