//! Every response decoder of the client, and the classifier of error answers, on arbitrary
//! bytes. Input layout: 2 bytes of HTTP status (folded into 100..=599), 1 byte choosing the
//! content type, then the body; the decoders also see the whole input as a body.
//! The checks themselves live in `fuzz/harness/decode.rs`, shared with
//! `tests/client/prop_decode.rs`.

#![no_main]

#[path = "../harness/decode.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::check_all(data);
});
