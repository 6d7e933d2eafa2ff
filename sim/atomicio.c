/*
 * atomicio: write to a temporary, then rename; see atomicio.h.
 *
 * Invariant: while an afile exists its temporary exists (until commit
 * renames it or abort removes it), and a->f is open exactly until the
 * afile is sealed.
 */
#include "sim/atomicio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct afile {
	FILE *f;     /* open until sealed */
	char *buf;   /* the stream's buffer (AFILE_BUFFER_BYTES), freed after fclose */
	char *path;  /* final path */
	char *tmp;   /* path ".tmp.XXXXXX" */
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
 * from the clock, the process id, the afile's address and the attempt
 * number: names differ between processes and between afiles of one
 * process; O_EXCL settles the rare collision.
 */
static void tmp_name(char *tmp, const struct afile *a, unsigned attempt)
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

struct afile *afile_open(const char *path)
{
	int err = ENOMEM;
	struct afile *a = calloc(1, sizeof(*a));
	if (!a)
		goto out_errno;
	size_t len = strlen(path);
	a->path = malloc(len + 1);
	a->tmp = malloc(len + sizeof(TMP_SUFFIX));
	a->buf = malloc(AFILE_BUFFER_BYTES);
	if (!a->path || !a->tmp || !a->buf)
		goto out_free;
	memcpy(a->path, path, len + 1);
	memcpy(a->tmp, path, len);
	memcpy(a->tmp + len, TMP_SUFFIX, sizeof(TMP_SUFFIX));

	int fd = -1;
	for (unsigned attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
		tmp_name(a->tmp, a, attempt);
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
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
	return a;

out_unlink:
	unlink(a->tmp);
out_free:
	free(a->buf);
	free(a->tmp);
	free(a->path);
	free(a);
out_errno:
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
	if (rc == 0 && fsync(fileno(a->f)) < 0)
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
	if (rc == 0 && rename(a->tmp, a->path) < 0)
		rc = neg_errno();
	if (rc < 0)
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
