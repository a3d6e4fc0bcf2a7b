//! Integration tests for the entente workspace live in `it/`; this library is empty
//! on purpose so that the package can hold one integration test binary.
