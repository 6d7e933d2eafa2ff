/*
 * atomicio: output files that appear whole or not at all.
 *
 * An afile is written under a temporary name in the directory of its
 * final path (PATH.tmp.XXXXXX, so the rename cannot cross file systems)
 * and renamed onto PATH only by afile_commit(), after its data were
 * flushed, synced to the disk and every error checked. An interrupted run
 * (a signal, a full disk, a crash) therefore leaves either the previous
 * file or the new one, never a truncated one that looks whole; at worst a
 * stale PATH.tmp.XXXXXX remains.
 *
 * Several files that belong together (a run's directory) are written
 * with afile_open() each, then afile_seal() each, and only when every
 * seal succeeded afile_commit() each; on any error afile_abort() the lot.
 *
 * Targets that are not files are never replaced: "-" (standard output),
 * an existing character device (/dev/null, a terminal) or FIFO, also
 * behind a symbolic link such as /dev/stdout, is written in place, which
 * is not atomic (an error midway leaves what was written). A symbolic
 * link to a regular file stays a link: the file it names is replaced.
 * Directories, sockets and block devices are refused.
 *
 * A results directory (struct adir) is replaced as a whole: see below.
 *
 * Also the whole-file reader the commands share (atomicio_read_file).
 *
 * Errors are negative errno values (-ENOSPC, -EACCES, ...), for the
 * caller to print as "lpsim: PATH: strerror(-rc)". No global state: an
 * afile belongs to one thread at a time.
 */
#ifndef LPSIM_ATOMICIO_H
#define LPSIM_ATOMICIO_H

#include <stddef.h>
#include <stdio.h>

/* Stream buffer of every afile: large writes (millions of CSV rows) in few syscalls. */
#define AFILE_BUFFER_BYTES (1u << 20)

struct afile; /* opaque */

/*
 * Creates PATH.tmp.XXXXXX (a fresh, exclusive name: O_CREAT | O_EXCL, as
 * mkstemp does, but with the mode fopen(PATH, "w") would give, 0666 less
 * the umask, rather than mkstemp's 0600) and opens a buffered stream on
 * it; or, for "-", a character device or a FIFO, opens the target itself
 * (a FIFO waits for its reader, as a shell's redirection does). A symbolic
 * link to a regular file is resolved first: the temporary is made beside
 * the file it names. path is copied. Returns the afile, or NULL with errno
 * set (EACCES, ENOENT for a missing directory or a dangling link, EISDIR,
 * ENXIO for a socket, ENOTSUP for a block device, ENOMEM, ...). Finish it
 * with afile_commit() or afile_abort().
 */
struct afile *afile_open(const char *path);

/* The stream to write to; owned by a, valid until afile_seal/commit/abort. */
FILE *afile_stream(struct afile *a);

/* The final path (owned by a): the one given to afile_open(), or the file a link named. */
const char *afile_path(const struct afile *a);

/*
 * Flushes the stream, syncs the temporary file to the disk and closes it,
 * checking every step. A write that failed earlier is reported here too,
 * but as -EIO when stdio dropped its data (glibc does once a flush
 * fails, and keeps no errno): a writer that wants the cause (ENOSPC)
 * checks its own writes and reads errno right after the failing one.
 * Returns 0 or -errno (-ENOSPC, -EDQUOT, -EFBIG, -EIO, ...). After it the
 * stream is gone whatever the result; a still needs afile_commit() or
 * afile_abort(). Calling it twice returns the first result.
 */
int afile_seal(struct afile *a);

/*
 * Seals a (unless it already is) and renames the temporary onto its path,
 * replacing any file there. Returns 0 or -errno; on error the temporary
 * is removed and the path left as it was. Frees a in every case.
 */
int afile_commit(struct afile *a);

/* Closes a and removes its temporary; the path is untouched. Frees a; NULL is a no-op. */
void afile_abort(struct afile *a);

/*
 * Flushes and closes a plain stream, reporting the first error, as
 * afile_seal does (without the sync): 0 or -errno. f is closed in every
 * case. For streams that are not afiles (stdout aside).
 */
int afile_close_stream(FILE *f);

/*
 * Creates directory dir and any missing parent, each with mode 0777 less
 * the umask, as `mkdir -p`. An existing directory is fine. Returns 0 or
 * -errno: -ENOTDIR when dir or a parent exists but is not a directory,
 * -ENOENT for an empty path, -EACCES, -EROFS, -ENOMEM, ...
 */
int mkdir_p(const char *dir);

/*
 * Reads the whole file at path into *buf, malloc'd and NUL-terminated
 * (the caller frees it), and its length, without the NUL, into *len. A
 * file longer than max bytes is refused (SIZE_MAX: any length), a regular
 * one before it is read. Returns
 * 0, or -errno with *buf and *len untouched: -ENOENT, -EACCES, -EISDIR,
 * -ENOMEM, -EFBIG (longer than max), -EIO (a read failed without saying
 * why), ...
 */
int atomicio_read_file(const char *path, char **buf, size_t *len, size_t max);

/*
 * A results directory replaced as a whole. adir_open() creates the
 * directory (and parents) if need be, locks it against other lpsim
 * writers (flock, without waiting: a second writer gets -EWOULDBLOCK),
 * removes what writers killed midway left (staging directories and
 * temporaries of the set's files: lpsim's own names only), and makes an
 * empty staging directory, where the caller writes the new set (with
 * afiles, so each file is synced). adir_commit() then makes the new set
 * the directory's content in one step: the staging directory, which also
 * receives hard links to the old directory's files that are not of the
 * set (a report.pdf, notes), is synced and exchanged with the old one
 * (renameat2 RENAME_EXCHANGE), the parent synced, the old set removed. A
 * reader sees the old set or the new one, never a mix, and so does
 * whoever looks after a kill at any instant (the staging directory left
 * is removed by the next writer).
 *
 * Where the directory cannot be exchanged (the working directory, a mount
 * point, "/", a directory holding subdirectories or other non-files, a
 * kernel or file system without RENAME_EXCHANGE), the staging directory is
 * made inside it and adir_commit() renames the set's files one by one,
 * names[nnames-1] last, after removing the old set's files that the new
 * set lacks: still locked and synced, but a reader may meet a mix.
 *
 * The staging directory is ".BASE.lpsim-XXXXXX" beside the directory
 * BASE, or ".lpsim-tmp.XXXXXX" inside it; it takes the old directory's
 * mode (and owner, when run as root).
 */
struct adir; /* opaque */

/*
 * names (borrowed until commit or abort) are the set's file names. Returns
 * 0 with *out set, -EWOULDBLOCK when another writer holds the directory,
 * or -errno (-ENOTDIR, -EACCES, -EROFS, -ENOMEM, ...): nothing changed.
 */
int adir_open(const char *dir, const char *const *names, size_t nnames, struct adir **out);

/* The staging directory to write the new set into (owned by d). */
const char *adir_staging(const struct adir *d);

/* The directory, resolved (realpath; owned by d). */
const char *adir_path(const struct adir *d);

/* Test hook: hook(arg) runs in adir_commit() after the exchange, before the old set is removed. */
void adir_set_hook(struct adir *d, void (*hook)(void *arg), void *arg);

/*
 * Makes the staging directory's set the directory's content (above) and
 * releases the lock. Returns 0 or -errno (the directory then holds the old
 * set, or, in the file-by-file fallback, a part of each). Frees d.
 */
int adir_commit(struct adir *d);

/*
 * Removes the staging directory and releases the lock; the directory is
 * as it was (one that adir_open made is removed again, with the parents it
 * made, while empty). Frees d; NULL is a no-op.
 */
void adir_abort(struct adir *d);

#endif
