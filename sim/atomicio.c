/*
 * atomicio: write to a temporary, then rename; see atomicio.h.
 *
 * Invariant: while an afile exists its temporary exists (until commit
 * renames it or abort removes it), and a->f is open exactly until the
 * afile is sealed.
 */
#define _GNU_SOURCE /* flock, renameat2 (RENAME_EXCHANGE), linkat, fchownat */
#include "sim/atomicio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct afile {
	FILE *f;     /* open until sealed */
	char *buf;   /* the stream's buffer (AFILE_BUFFER_BYTES), freed after fclose */
	char *path;  /* final path */
	char *tmp;   /* path ".tmp.XXXXXX" */
	bool direct; /* written in place: "-", a character device, a FIFO (not atomic) */
	bool sealed; /* afile_seal() ran */
	int seal_rc; /* its result */
};

#define TMP_SUFFIX   ".tmp.XXXXXX"
#define TMP_ATTEMPTS 1000

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/*
 * Replaces the six X at the end of tmp with letters and digits drawn
 * from the clock, the process id, the owner's address and the attempt
 * number: names differ between processes and between afiles of one
 * process; O_EXCL settles the rare collision.
 */
static void tmp_name(char *tmp, const void *a, unsigned attempt)
{
	static const char chars[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	struct timespec ts = {0, 0};
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x = splitmix64((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	x = splitmix64(x ^ (uint64_t)getpid());
	x = splitmix64(x ^ (uint64_t)(uintptr_t)a);
	x = splitmix64(x ^ attempt);
	char *p = tmp + strlen(tmp) - 6;
	for (int i = 0; i < 6; i++) {
		p[i] = chars[x % (sizeof(chars) - 1)];
		x /= sizeof(chars) - 1;
	}
}

/*
 * What writing to path means. "-" and an existing character device or
 * FIFO (also through symbolic links, as /dev/stdout) are written in place:
 * *direct. A regular file, or none, is replaced through a temporary: at
 * path itself, or, behind a symbolic link, at the file the link names
 * (*resolved, malloc'd; the link stays a link). Anything else is refused:
 * a directory (EISDIR), a socket (ENXIO, as a shell says), a block device
 * or a dangling link (ENOENT: nothing to write to). 0 or an errno value.
 */
static int target_of(const char *path, bool *direct, char **resolved)
{
	struct stat st;
	*direct = false;
	*resolved = NULL;
	if (!strcmp(path, "-")) {
		*direct = true;
		return 0;
	}
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : errno; /* a new file */
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) < 0)
			return errno;
		if (S_ISREG(st.st_mode)) {
			*resolved = realpath(path, NULL);
			return *resolved ? 0 : errno;
		}
	}
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
		*direct = true;
		return 0;
	}
	return S_ISDIR(st.st_mode) ? EISDIR : S_ISSOCK(st.st_mode) ? ENXIO : ENOTSUP;
}

/* Opens a's temporary (a->tmp, a fresh name): the fd, or -1 with errno set. */
static int open_temporary(struct afile *a)
{
	int fd = -1;
	for (unsigned attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
		tmp_name(a->tmp, a, attempt);
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	return fd;
}

struct afile *afile_open(const char *path)
{
	bool direct;
	char *resolved;
	int err = target_of(path, &direct, &resolved);
	if (err) {
		errno = err;
		return NULL;
	}
	err = ENOMEM;
	struct afile *a = calloc(1, sizeof(*a));
	if (!a)
		goto out_errno;
	const char *final = resolved ? resolved : path;
	size_t len = strlen(final);
	a->direct = direct;
	a->path = malloc(len + 1);
	a->tmp = malloc(len + sizeof(TMP_SUFFIX));
	a->buf = malloc(AFILE_BUFFER_BYTES);
	if (!a->path || !a->tmp || !a->buf)
		goto out_free;
	memcpy(a->path, final, len + 1);
	memcpy(a->tmp, final, len);
	memcpy(a->tmp + len, TMP_SUFFIX, sizeof(TMP_SUFFIX));

	int fd;
	if (!direct)
		fd = open_temporary(a);
	else if (!strcmp(path, "-"))
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
	else
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		goto out_free;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		err = errno;
		close(fd);
		goto out_unlink;
	}
	if (setvbuf(a->f, a->buf, _IOFBF, AFILE_BUFFER_BYTES) != 0) {
		err = ENOMEM;
		fclose(a->f);
		goto out_unlink;
	}
	free(resolved);
	return a;

out_unlink:
	if (!direct)
		unlink(a->tmp);
out_free:
	free(a->buf);
	free(a->tmp);
	free(a->path);
	free(a);
out_errno:
	free(resolved);
	errno = err;
	return NULL;
}

FILE *afile_stream(struct afile *a)
{
	return a->f;
}

const char *afile_path(const struct afile *a)
{
	return a->path;
}

/* errno as a negative code, -EIO when a failing stdio call left none. */
static int neg_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

int afile_seal(struct afile *a)
{
	if (a->sealed)
		return a->seal_rc;
	int rc = 0;
	const bool failed_before = ferror(a->f) != 0;

	/* Whatever is still buffered is written now: a full disk shows here
	 * with its errno. An earlier failure whose data stdio dropped leaves
	 * only the error flag. */
	errno = 0;
	if (fflush(a->f) == EOF)
		rc = neg_errno();
	else if (failed_before)
		rc = -EIO;
	/* A pipe or a terminal cannot be synced (EINVAL): only files are. */
	if (rc == 0 && !a->direct && fsync(fileno(a->f)) < 0)
		rc = neg_errno();
	errno = 0;
	if (fclose(a->f) == EOF && rc == 0)
		rc = neg_errno();
	a->f = NULL;
	free(a->buf);
	a->buf = NULL;
	a->sealed = true;
	a->seal_rc = rc;
	return rc;
}

static void afile_free(struct afile *a)
{
	free(a->buf);
	free(a->tmp);
	free(a->path);
	free(a);
}

int afile_commit(struct afile *a)
{
	int rc = afile_seal(a);
	if (rc == 0 && !a->direct && rename(a->tmp, a->path) < 0)
		rc = neg_errno();
	if (rc < 0 && !a->direct)
		unlink(a->tmp);
	afile_free(a);
	return rc;
}

void afile_abort(struct afile *a)
{
	if (!a)
		return;
	if (!a->sealed)
		fclose(a->f);
	if (!a->direct)
		unlink(a->tmp);
	afile_free(a);
}

int afile_close_stream(FILE *f)
{
	int rc = 0;
	const bool failed_before = ferror(f) != 0;

	errno = 0;
	if (fflush(f) == EOF)
		rc = neg_errno();
	else if (failed_before)
		rc = -EIO;
	errno = 0;
	if (fclose(f) == EOF && rc == 0)
		rc = neg_errno();
	return rc;
}

/* True when p names a directory (following symbolic links). */
static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir that accepts an existing directory; 0 or -errno. */
static int mkdir_one(const char *p)
{
	if (mkdir(p, 0777) == 0)
		return 0;
	int err = errno;
	/* EEXIST, but also EACCES or EROFS on a directory that already exists. */
	if (is_dir(p))
		return 0;
	if (err == EEXIST)
		return -ENOTDIR;
	return -err;
}

int mkdir_p(const char *dir)
{
	size_t len = strlen(dir);
	if (len == 0)
		return -ENOENT;
	char *p = malloc(len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, dir, len + 1);

	int rc = 0;
	for (size_t i = 1; i < len && rc == 0; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		rc = mkdir_one(p);
		p[i] = '/';
	}
	if (rc == 0)
		rc = mkdir_one(p);
	free(p);
	return rc;
}

int atomicio_read_file(const char *path, char **buf, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return neg_errno();
	/* A regular file's size is the first guess (and room for the NUL and
	 * one byte more, to see the end without growing); the reads go on to
	 * the end whatever it is. */
	size_t cap = 1 << 16;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
		if ((uintmax_t)st.st_size > max) {
			fclose(f); /* too long already: refused unread */
			return -EFBIG;
		}
		if ((uintmax_t)st.st_size < max && (uintmax_t)st.st_size < SIZE_MAX / 2)
			cap = (size_t)st.st_size + 2;
	}
	char *b = malloc(cap);
	size_t n = 0;
	int rc = b ? 0 : -ENOMEM;
	while (rc == 0) {
		if (n + 1 == cap) {
			char *nb = cap <= SIZE_MAX / 2 ? realloc(b, 2 * cap) : NULL;
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			b = nb;
			cap *= 2;
		}
		size_t want = cap - 1 - n;
		errno = 0;
		size_t got = fread(b + n, 1, want, f);
		n += got;
		if (n > max)
			rc = -EFBIG;
		else if (got < want && ferror(f))
			rc = neg_errno();
		else if (got < want)
			break; /* the end */
	}
	fclose(f);
	if (rc < 0) {
		free(b);
		return rc;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* ---- results directories replaced as a whole ----------------------------- */

struct adir {
	char *path;      /* the directory, resolved (realpath) */
	char *staging;   /* where the new set is written */
	int lockfd;      /* path opened and flock'ed (-1: no locks here) */
	bool swap;       /* staging is path's sibling, exchanged with it; else inside path */
	const char *const *names; /* the set's file names (borrowed), the last marks a whole set */
	size_t nnames;
	void (*hook)(void *arg); /* run after the exchange, before the old set is removed */
	void *hook_arg;
	char *existed;   /* the deepest ancestor that existed before adir_open, when it made path */
};

#define ADIR_INNER  ".lpsim-tmp."  /* a staging directory inside the results directory */
#define ADIR_SIBLING ".lpsim-"     /* ".NAME.lpsim-XXXXXX" beside it */
#define NAME_CHARS_6 6

/* True when s is six letters or digits, the random part of lpsim's temporaries. */
static bool random_part(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return i == NAME_CHARS_6;
}

/* True when name is an afile's temporary: "X.tmp.XXXXXX". */
static bool afile_temporary(const char *name)
{
	size_t len = strlen(name), sfx = sizeof(TMP_SUFFIX) - 1;
	return len > sfx && !strncmp(name + len - sfx, ".tmp.", 5) && random_part(name + len - 6);
}

/* True when name (in the parent directory) is a staging directory of base: ".BASE.lpsim-XXXXXX". */
static bool sibling_staging(const char *name, const char *base)
{
	size_t bl = strlen(base);
	return name[0] == '.' && !strncmp(name + 1, base, bl) && name[1 + bl] == '.' &&
	       !strncmp(name + 2 + bl, ADIR_SIBLING + 1, sizeof(ADIR_SIBLING) - 2) &&
	       random_part(name + 2 + bl + sizeof(ADIR_SIBLING) - 2);
}

static bool inner_staging(const char *name)
{
	return !strncmp(name, ADIR_INNER, sizeof(ADIR_INNER) - 1) &&
	       random_part(name + sizeof(ADIR_INNER) - 1);
}

/* Joins dir and name into a malloc'd string; NULL when out of memory. */
static char *path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = malloc(dl + nl + 2);
	if (p) {
		memcpy(p, dir, dl);
		p[dl] = '/';
		memcpy(p + dl + 1, name, nl + 1);
	}
	return p;
}

/* Removes the files of dir, then dir itself (a subdirectory inside keeps it). */
static void remove_flat(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return neg_errno();
	int rc = fsync(fd) < 0 && errno != EINVAL ? neg_errno() : 0;
	close(fd);
	return rc;
}

/* The parent directory of a resolved path (malloc'd; "/" for "/x"). */
static char *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash && slash != path ? (size_t)(slash - path) : 1;
	char *p = malloc(len + 1);
	if (p) {
		memcpy(p, path, len);
		p[len] = '\0';
	}
	return p;
}

static bool in_set(const struct adir *d, const char *name)
{
	for (size_t i = 0; i < d->nnames; i++)
		if (!strcmp(d->names[i], name))
			return true;
	return false;
}

/*
 * Removes what earlier writers killed midway left (the caller holds the
 * lock, so no live writer owns them): staging directories beside and
 * inside d->path, and temporaries of the set's files inside it.
 */
static void remove_stale(const struct adir *d, const char *parent, const char *base)
{
	DIR *pd = opendir(parent);
	if (pd) {
		struct dirent *de;
		while ((de = readdir(pd))) {
			if (!sibling_staging(de->d_name, base))
				continue;
			char *p = path_join(parent, de->d_name);
			if (p)
				remove_flat(p);
			free(p);
		}
		closedir(pd);
	}
	DIR *dd = opendir(d->path);
	if (!dd)
		return;
	struct dirent *de;
	while ((de = readdir(dd))) {
		const char *n = de->d_name;
		if (inner_staging(n)) {
			char *p = path_join(d->path, n);
			if (p)
				remove_flat(p);
			free(p);
		} else if (afile_temporary(n)) {
			size_t stem = strlen(n) - (sizeof(TMP_SUFFIX) - 1);
			for (size_t i = 0; i < d->nnames; i++)
				if (strlen(d->names[i]) == stem && !strncmp(d->names[i], n, stem))
					unlinkat(dirfd(dd), n, 0);
		}
	}
	closedir(dd);
}

/*
 * Opens and locks path (flock, without waiting): 0, -EWOULDBLOCK when
 * another writer holds it, or -errno. A directory swapped away between
 * the open and the lock is opened again. File systems without flock are
 * written unlocked (lockfd -1).
 */
static int lock_dir(struct adir *d)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) { /* an interrupted writer removed the one it made */
			int rc = mkdir_p(d->path);
			if (rc < 0)
				return rc;
			continue;
		}
		if (fd < 0)
			return neg_errno();
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int err = errno;
			close(fd);
			if (err == EWOULDBLOCK || err == EINTR)
				return -EWOULDBLOCK;
			d->lockfd = -1;
			return 0; /* ENOLCK, EINVAL: no locks on this file system */
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(d->path, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			d->lockfd = fd;
			return 0;
		}
		close(fd);
	}
	return -EWOULDBLOCK;
}

/*
 * True when path can be swapped as a whole: not "/", not the working
 * directory, not a mount point, and holding regular files only (besides
 * lpsim's temporaries), so that the files not of the set can be carried
 * over as hard links.
 */
static bool swappable(const char *path, const char *parent)
{
	struct stat st, pst, cwd;
	if (!strcmp(path, "/") || stat(path, &st) < 0 || stat(parent, &pst) < 0 ||
	    st.st_dev != pst.st_dev)
		return false;
	if (stat(".", &cwd) == 0 && cwd.st_dev == st.st_dev && cwd.st_ino == st.st_ino)
		return false;
	DIR *dd = opendir(path);
	if (!dd)
		return false;
	bool ok = true;
	struct dirent *de;
	while (ok && (de = readdir(dd))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || inner_staging(n))
			continue;
		struct stat es;
		ok = fstatat(dirfd(dd), n, &es, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(es.st_mode);
	}
	closedir(dd);
	return ok;
}

/* Fills tmpl's trailing six X with a fresh name and creates the directory: 0 or -errno. */
static int make_staging(struct adir *d, char *tmpl)
{
	for (unsigned attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
		tmp_name(tmpl, d, attempt);
		if (mkdir(tmpl, 0700) == 0)
			break;
		if (errno != EEXIST)
			return neg_errno();
	}
	/* The new directory takes the old one's mode and, when we may, owner. */
	struct stat st;
	if (stat(d->path, &st) == 0) {
		if (chmod(tmpl, st.st_mode & 07777) < 0)
			return neg_errno();
		if (d->swap && geteuid() == 0 && chown(tmpl, st.st_uid, st.st_gid) < 0)
			return neg_errno();
	}
	return 0;
}

static int create_staging(struct adir *d, const char *parent, const char *base)
{
	size_t len = d->swap ? strlen(parent) + strlen(base) + 16 : strlen(d->path) + 24;
	d->staging = malloc(len);
	if (!d->staging)
		return -ENOMEM;
	if (d->swap)
		snprintf(d->staging, len, "%s/.%s" ADIR_SIBLING "XXXXXX",
		         strcmp(parent, "/") ? parent : "", base);
	else
		snprintf(d->staging, len, "%s/" ADIR_INNER "XXXXXX", d->path);
	int rc = make_staging(d, d->staging);
	if (rc < 0)
		d->staging[0] = '\0'; /* not ours: adir_abort leaves it */
	return rc;
}

/*
 * The deepest existing ancestor of dir, resolved (malloc'd), when dir does
 * not exist; NULL when it does (or on a failure: nothing is removed then).
 */
static char *existing_ancestor(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return NULL;
	size_t len = strlen(dir);
	char *p = malloc(len + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, len + 1);
	for (;;) {
		char *slash = strrchr(p, '/');
		while (slash && slash > p && slash[1] == '\0') { /* trailing slashes */
			*slash = '\0';
			slash = strrchr(p, '/');
		}
		if (!slash)
			strcpy(p, ".");
		else if (slash == p)
			p[1] = '\0';
		else
			*slash = '\0';
		if (stat(p, &st) == 0)
			break;
		if (!slash)
			break;
	}
	char *r = realpath(p, NULL);
	free(p);
	return r;
}

/* Removes the directories adir_open made (d->path up to d->existed), if still empty. */
static void remove_made(const struct adir *d)
{
	size_t keep = strlen(d->existed);
	char *p = malloc(strlen(d->path) + 1);
	if (!p)
		return;
	strcpy(p, d->path);
	while (strlen(p) > keep && !strncmp(p, d->existed, keep) && rmdir(p) == 0) {
		char *slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	free(p);
}

int adir_open(const char *dir, const char *const *names, size_t nnames, struct adir **out)
{
	struct adir *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->lockfd = -1;
	d->names = names;
	d->nnames = nnames;
	char *parent = NULL;
	d->existed = existing_ancestor(dir);
	int rc = mkdir_p(dir);
	if (rc < 0)
		goto out_free;
	d->path = realpath(dir, NULL);
	if (!d->path) {
		rc = neg_errno();
		goto out_free;
	}
	parent = parent_of(d->path);
	if (!parent) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = lock_dir(d);
	if (rc < 0) {
		free(d->existed); /* another writer's now, made by us or not */
		d->existed = NULL;
		goto out_free;
	}
	const char *base = strrchr(d->path, '/') + 1;
	remove_stale(d, parent, base);
	d->swap = swappable(d->path, parent);
	rc = create_staging(d, parent, base);
	if (rc < 0)
		goto out_free;
	free(parent);
	*out = d;
	return 0;

out_free:
	free(parent);
	adir_abort(d);
	return rc;
}

const char *adir_staging(const struct adir *d)
{
	return d->staging;
}

const char *adir_path(const struct adir *d)
{
	return d->path;
}

void adir_set_hook(struct adir *d, void (*hook)(void *arg), void *arg)
{
	d->hook = hook;
	d->hook_arg = arg;
}

/*
 * Hard-links every file of the old directory that is not of the set into
 * the staging directory (the new set keeps them). 0, or -errno when one
 * cannot be (the caller then renames file by file instead).
 */
static int carry_over(struct adir *d)
{
	DIR *dd = opendir(d->path);
	if (!dd)
		return neg_errno();
	int sfd = open(d->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = sfd < 0 ? neg_errno() : 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dd))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || inner_staging(n) || afile_temporary(n) ||
		    in_set(d, n))
			continue;
		struct stat es;
		if (fstatat(dirfd(dd), n, &es, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(es.st_mode))
			rc = -ENOTSUP;
		else if (linkat(dirfd(dd), n, sfd, n, 0) < 0 && errno != EEXIST)
			rc = neg_errno();
	}
	if (sfd >= 0)
		close(sfd);
	closedir(dd);
	return rc;
}

/* Exchanges the staging directory with the old one in one step: 0 or -errno. */
static int exchange(const struct adir *d)
{
#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, d->staging, AT_FDCWD, d->path, RENAME_EXCHANGE) == 0)
		return 0;
	return neg_errno();
#else
	return -ENOSYS;
#endif
}

/*
 * The fallback: renames the set's files one by one from the staging
 * directory into path, the last name last, after removing those of the
 * old set that the new one lacks. Not one step for a reader, but locked.
 */
static int rename_each(struct adir *d)
{
	int rc = 0;
	for (size_t i = 0; i < d->nnames && rc == 0; i++) {
		char *from = path_join(d->staging, d->names[i]);
		char *to = path_join(d->path, d->names[i]);
		struct stat st;
		if (!from || !to)
			rc = -ENOMEM;
		else if (stat(from, &st) < 0)
			unlink(to); /* not in the new set: nor left from the old one */
		free(from);
		free(to);
	}
	for (size_t i = 0; i < d->nnames && rc == 0; i++) {
		char *from = path_join(d->staging, d->names[i]);
		char *to = path_join(d->path, d->names[i]);
		if (!from || !to)
			rc = -ENOMEM;
		else if (rename(from, to) < 0 && errno != ENOENT)
			rc = neg_errno();
		free(from);
		free(to);
	}
	if (rc == 0)
		rc = sync_dir(d->path);
	return rc;
}

int adir_commit(struct adir *d)
{
	int rc = sync_dir(d->staging);
	if (rc == 0 && d->swap && carry_over(d) == 0 && sync_dir(d->staging) == 0 &&
	    exchange(d) == 0) {
		char *parent = parent_of(d->path);
		rc = parent ? sync_dir(parent) : -ENOMEM;
		free(parent);
		if (d->hook)
			d->hook(d->hook_arg);
	} else if (rc == 0) {
		rc = rename_each(d);
	}
	free(d->existed); /* the directory stays, made or not */
	d->existed = NULL;
	adir_abort(d); /* removes the staging directory: the old set, or what is left */
	return rc;
}

void adir_abort(struct adir *d)
{
	if (!d)
		return;
	if (d->staging && d->staging[0])
		remove_flat(d->staging);
	if (d->existed && d->path)
		remove_made(d);
	if (d->lockfd >= 0)
		close(d->lockfd);
	free(d->existed);
	free(d->staging);
	free(d->path);
	free(d);
}
