//! Files that may hold anything sensitive (logs, saved sessions) are created readable by their
//! owner only, and rewritten so that no reader, crash or concurrent writer ever sees half a
//! file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The platform's directories for this program (one place that names them).
fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "medusa-users")
}

/// Where the config file and remembered sessions live (`~/.config/medusa-users` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_owned())
}

/// Where the sandbox keeps its database (`~/.local/share/medusa-users` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_owned())
}

/// Where the log goes (`~/.local/state/medusa-users` on Linux).
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_owned()
    })
}

/// Opens `path` for appending, creating it with mode 0600 (and tightening an existing file).
pub fn append_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Creates `path`, empty and readable by its owner only, unless it exists (then it is left
/// as it is): for files another library opens afterwards, such as a SQLite database.
pub fn create_private_if_missing(path: &Path) -> std::io::Result<()> {
    match open_private(path, OpenOptions::new().write(true).create_new(true)) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `path` with mode 0600 if it does not exist yet; never truncates.
fn open_private(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `contents` to `path` atomically, mode 0600: into a temporary file of its own in the
/// same directory (a unique name, created exclusively, so two writers never share one; the
/// same directory, so the rename cannot cross file systems), flushed to disk, then renamed over
/// `path`. A reader sees the old file or the new one, never a mix; a failed write leaves the
/// old file and no temporary behind. Concurrent writers each land whole, the last rename wins:
/// a read-modify-write must hold a [`Lock`] to keep the other writer's change.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = parent(path);
    std::fs::create_dir_all(dir)?;
    let (tmp, mut file) = create_temp(path)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable once the directory is on disk too. Not every system lets a
    // directory be opened and synced; the file is already whole either way.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `.<name>.<random>.tmp` beside `path`, created exclusively with mode 0600. Hidden, so a
/// directory listing does not show it in the moment it exists.
fn create_temp(path: &Path) -> std::io::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    loop {
        let tmp = parent(path).join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        match open_private(&tmp, OpenOptions::new().write(true).create_new(true)) {
            Ok(file) => return Ok((tmp, file)),
            // A name taken by another writer (vanishingly unlikely): draw another.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// An exclusive advisory lock (flock(2)) on a lock file beside the file it guards, held until
/// dropped. Writers of a read-modify-write file take it around the read and the write, so two
/// processes saving at once both keep their change. It cannot lock the data file itself: the
/// atomic rename replaces that file, and a lock on the old one would guard nothing.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Blocks until the lock on `<path>.lock` is ours. The lock file (empty, 0600) stays: removing
    /// it would let two writers lock two different files.
    pub fn exclusive(path: &Path) -> std::io::Result<Lock> {
        std::fs::create_dir_all(parent(path))?;
        let mut name = path.as_os_str().to_owned();
        name.push(".lock");
        let file = open_private(
            Path::new(&name),
            OpenOptions::new().read(true).write(true).create(true),
        )?;
        #[cfg(unix)]
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive) {
                Ok(()) => break,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn writes_replace_the_file_whole_with_mode_0600_and_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/secret.json");
        write_private(&path, b"one").unwrap();
        write_private(&path, b"two, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two, longer");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(leftovers(path.parent().unwrap()).is_empty());
    }

    #[test]
    fn concurrent_writers_never_share_a_temp_file() {
        // With one fixed temporary name, one writer's rename moved the other's half-written
        // file into place, or failed because it was already gone.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::thread::scope(|s| {
            for i in 0..16 {
                let path = &path;
                s.spawn(move || {
                    let body = format!("{i}").repeat(10_000);
                    for _ in 0..10 {
                        write_private(path, body.as_bytes()).unwrap();
                    }
                });
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        let whole = (0..16).any(|i| text == format!("{i}").repeat(10_000));
        assert!(
            whole,
            "one writer's content, whole: {}…",
            &text[..40.min(text.len())]
        );
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_excludes_a_second_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        let held = Lock::exclusive(&path).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn({
            let path = path.clone();
            move || {
                let _second = Lock::exclusive(&path).unwrap();
                tx.send(()).unwrap();
            }
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "a second lock was granted while the first was held"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the lock is granted once released");
        waiter.join().unwrap();
    }
}
