//! `-V=full`: the tool ID the go command folds into its vet cache key. For a `devel` version the
//! go command takes the ID from the last field, which must start with `buildID=`; a SHA-256 of
//! the executable changes whenever mapguard does, so cached vet results never outlive a rebuild.

use std::io::Read;
use std::process::ExitCode;

use sha2::{Digest, Sha256};

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(super) fn print_version() -> ExitCode {
    match executable_hash() {
        Ok(hash) => {
            println!(
                "mapguard version devel mapguard-{} buildID={hash}",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("mapguard: cannot read own executable for -V=full: {err}");
            ExitCode::from(2)
        }
    }
}

fn executable_hash() -> std::io::Result<String> {
    let path = std::env::current_exe()?;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
