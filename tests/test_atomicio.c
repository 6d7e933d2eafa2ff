/* Tests of sim/atomicio: temporaries renamed into place, or nothing at all. */
#define _DEFAULT_SOURCE /* mknod, S_IFCHR, makedev */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/atomicio.h"

/* A fresh empty directory per test, removed (with its files) afterwards. */
struct tdir {
	char path[64];
};

static int setup(void **state)
{
	struct tdir *t = malloc(sizeof(*t));
	if (!t)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/lpsim-atomicio-XXXXXX");
	if (!mkdtemp(t->path)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		closedir(d);
		chmod(path, 0700);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int teardown(void **state)
{
	struct tdir *t = *state;
	remove_tree(t->path);
	free(t);
	return 0;
}

/* Names in dir, sorted, joined with spaces ("" when empty). */
static const char *listing(const char *dir, char *buf, size_t len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *s = names[i]->d_name;
		if (strcmp(s, ".") && strcmp(s, "..")) {
			if (buf[0])
				strncat(buf, " ", len - strlen(buf) - 1);
			strncat(buf, s, len - strlen(buf) - 1);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return buf;
}

static const char *slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_afile_commit_renames_into_place_and_leaves_no_temporary(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/out.json", t->path);

	struct afile *a = afile_open(path);
	assert_non_null(a);
	assert_string_equal(afile_path(a), path);
	fputs("{\"x\": 1}\n", afile_stream(a));
	/* Before the commit only the temporary exists, next to the target. */
	listing(t->path, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "out.json.tmp.", 13), 0);
	assert_int_equal(strlen(buf), strlen("out.json.tmp.XXXXXX"));
	assert_int_equal(access(path, F_OK), -1);

	assert_int_equal(afile_commit(a), 0);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "out.json");
	assert_string_equal(slurp(path, buf, sizeof(buf)), "{\"x\": 1}\n");
}

static void test_afile_commit_replaces_an_existing_file(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/a.csv", t->path);
	FILE *f = fopen(path, "w");
	fputs("old, and longer than the new one\n", f);
	fclose(f);

	struct afile *a = afile_open(path);
	assert_non_null(a);
	fputs("new\n", afile_stream(a));
	assert_int_equal(afile_commit(a), 0);
	assert_string_equal(slurp(path, buf, sizeof(buf)), "new\n");
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "a.csv");
}

static void test_afile_gets_the_mode_fopen_would_give(void **state)
{
	struct tdir *t = *state;
	char path[128];
	snprintf(path, sizeof(path), "%s/m", t->path);
	mode_t old = umask(022);
	struct afile *a = afile_open(path);
	umask(old);
	assert_non_null(a);
	assert_int_equal(afile_commit(a), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
}

static void test_afile_abort_leaves_nothing_and_keeps_the_old_file(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/keep.txt", t->path);
	FILE *f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);

	struct afile *a = afile_open(path);
	assert_non_null(a);
	fputs("half-written", afile_stream(a));
	afile_abort(a);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "keep.txt");
	assert_string_equal(slurp(path, buf, sizeof(buf)), "old\n");

	/* Sealed but not committed: abort still removes the temporary. */
	snprintf(path, sizeof(path), "%s/new.txt", t->path);
	a = afile_open(path);
	assert_non_null(a);
	fputs("data", afile_stream(a));
	assert_int_equal(afile_seal(a), 0);
	assert_int_equal(afile_seal(a), 0); /* twice: the first result */
	afile_abort(a);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "keep.txt");

	afile_abort(NULL);
}

static void test_afile_open_in_a_missing_directory_fails_with_enoent(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/missing/x.csv", t->path);
	errno = 0;
	assert_null(afile_open(path));
	assert_int_equal(errno, ENOENT);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "");
}

static void test_afile_open_under_a_file_fails_with_enotdir(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/file", t->path);
	FILE *f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof(path), "%s/file/x.csv", t->path);
	errno = 0;
	assert_null(afile_open(path));
	assert_int_equal(errno, ENOTDIR);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "file");
}

/*
 * Runs check(arg) in a child that cannot write to read-only directories:
 * as root, the child becomes nobody (65534) first. Returns check's result
 * (0: passed), or 77 when the privileges could not be dropped.
 */
static int unprivileged(int (*check)(const char *), const char *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(77);
		_exit(check(arg));
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

static int open_fails_with_eacces(const char *path)
{
	errno = 0;
	return afile_open(path) == NULL && errno == EACCES ? 0 : 1;
}

static void test_afile_open_in_a_read_only_directory_fails_with_eacces(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/x.csv", t->path);
	assert_int_equal(chmod(t->path, 0555), 0);
	int rc = unprivileged(open_fails_with_eacces, path);
	assert_int_equal(chmod(t->path, 0700), 0);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "");
}

static void test_afile_close_stream_reports_enospc_on_dev_full(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	fputs("a line that stays in the buffer\n", f);
	assert_int_equal(afile_close_stream(f), -ENOSPC);

	/* A write that failed earlier (stdio dropped its data) is still an error at close. */
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	static char big[1 << 16];
	memset(big, 'x', sizeof(big));
	fwrite(big, 1, sizeof(big), f);
	assert_true(ferror(f));
	int rc = afile_close_stream(f);
	assert_true(rc == -EIO || rc == -ENOSPC);
}

/*
 * A write error at the commit (here: the file size limit, EFBIG, the
 * nearest unprivileged stand-in for a full disk) returns the error and
 * leaves neither the file nor the temporary. In a child, so the limit
 * does not outlive the test.
 */
static void test_afile_commit_after_a_write_error_fails_and_leaves_nothing(void **state)
{
	struct tdir *t = *state;
	char path[128], buf[256];
	snprintf(path, sizeof(path), "%s/big.csv", t->path);

	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {4096, 4096};
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(10);
		struct afile *a = afile_open(path);
		if (!a)
			_exit(11);
		for (int i = 0; i < 1000; i++)
			fputs("0123456789012345678901234567890123456789\n", afile_stream(a));
		int rc = afile_commit(a);
		_exit(rc == -EFBIG ? 0 : 12);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "");
}

static void test_mkdir_p_creates_parents_and_accepts_existing_directories(void **state)
{
	struct tdir *t = *state;
	char path[160];
	struct stat st;
	snprintf(path, sizeof(path), "%s/a/b//c/", t->path);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/a/b/c", t->path);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(mkdir_p(path), 0);
	assert_int_equal(mkdir_p(t->path), 0);
	assert_int_equal(mkdir_p("."), 0);
	assert_int_equal(mkdir_p("/"), 0);
}

static void test_mkdir_p_reports_a_file_in_the_way_and_an_empty_path(void **state)
{
	struct tdir *t = *state;
	char path[160];
	snprintf(path, sizeof(path), "%s/f", t->path);
	FILE *f = fopen(path, "w");
	fclose(f);
	assert_int_equal(mkdir_p(path), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/f/sub/dir", t->path);
	assert_int_equal(mkdir_p(path), -ENOTDIR);
	assert_int_equal(mkdir_p(""), -ENOENT);
}

static int mkdir_p_fails_with_eacces(const char *path)
{
	return mkdir_p(path) == -EACCES ? 0 : 1;
}

static void test_mkdir_p_in_a_read_only_directory_fails_with_eacces(void **state)
{
	struct tdir *t = *state;
	char path[160], buf[256];
	assert_int_equal(chmod(t->path, 0555), 0);
	snprintf(path, sizeof(path), "%s/a/b", t->path);
	int rc = unprivileged(mkdir_p_fails_with_eacces, path);
	assert_int_equal(chmod(t->path, 0700), 0);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "");
}

/* ---- targets that are not regular files ---------------------------------------- */

static void write_all(const char *path, const char *text)
{
	struct afile *a = afile_open(path);
	assert_non_null(a);
	fputs(text, afile_stream(a));
	assert_int_equal(afile_commit(a), 0);
}

static void test_afile_writes_a_fifo_in_place_and_keeps_it(void **state)
{
	struct tdir *t = *state;
	char fifo[128], got[128], buf[256];
	snprintf(fifo, sizeof(fifo), "%s/fifo", t->path);
	snprintf(got, sizeof(got), "%s/got", t->path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* the reader: copies the FIFO into got */
		FILE *in = fopen(fifo, "r"), *out = fopen(got, "w");
		int c;
		while (in && out && (c = fgetc(in)) != EOF)
			fputc(c, out);
		_exit(in && out && fclose(out) == 0 ? 0 : 1);
	}
	write_all(fifo, "through the FIFO\n");
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_string_equal(slurp(got, buf, sizeof(buf)), "through the FIFO\n");
	struct stat s;
	assert_int_equal(lstat(fifo, &s), 0);
	assert_true(S_ISFIFO(s.st_mode));
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "fifo got");
}

static void test_afile_writes_a_character_device_in_place_and_keeps_it(void **state)
{
	struct tdir *t = *state;
	char dev[128], link[128], buf[256];
	snprintf(dev, sizeof(dev), "%s/null", t->path);
	snprintf(link, sizeof(link), "%s/stdout", t->path);
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) < 0)
		skip(); /* not root: no copy of /dev/null */
	assert_int_equal(symlink(dev, link), 0);
	write_all(dev, "into the device\n");
	write_all(link, "through a link to it\n");
	struct stat s;
	assert_int_equal(lstat(dev, &s), 0);
	assert_true(S_ISCHR(s.st_mode));
	assert_int_equal(lstat(link, &s), 0);
	assert_true(S_ISLNK(s.st_mode));
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "null stdout");
}

static void test_afile_through_a_link_to_a_file_replaces_the_file_and_keeps_the_link(void **state)
{
	struct tdir *t = *state;
	char file[128], link[128], buf[256];
	snprintf(file, sizeof(file), "%s/real.txt", t->path);
	snprintf(link, sizeof(link), "%s/link.txt", t->path);
	write_all(file, "old\n");
	assert_int_equal(symlink(file, link), 0);
	write_all(link, "new\n");
	struct stat s;
	assert_int_equal(lstat(link, &s), 0);
	assert_true(S_ISLNK(s.st_mode));
	assert_string_equal(slurp(file, buf, sizeof(buf)), "new\n");
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "link.txt real.txt");
}

static void test_afile_refuses_a_directory_and_a_socket(void **state)
{
	struct tdir *t = *state;
	char sock[96];
	errno = 0;
	assert_null(afile_open(t->path));
	assert_int_equal(errno, EISDIR);
	snprintf(sock, sizeof(sock), "%s/sock", t->path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	errno = 0;
	assert_null(afile_open(sock));
	assert_int_equal(errno, ENXIO);
	struct stat s;
	assert_int_equal(lstat(sock, &s), 0);
	assert_true(S_ISSOCK(s.st_mode));
	close(fd);
}

/* ---- results directories ----------------------------------------------------------- */

static const char *const set_names[] = {"chart.png", "data.csv", "summary.json"};

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *get(const char *dir, const char *name, char *buf, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path, buf, len);
}

static void test_adir_commit_swaps_the_whole_set_and_keeps_other_files(void **state)
{
	struct tdir *t = *state;
	char out[128], buf[256];
	snprintf(out, sizeof(out), "%s/out", t->path);
	assert_int_equal(mkdir(out, 0755), 0);
	put(out, "summary.json", "old\n");
	put(out, "data.csv", "old\n");
	put(out, "chart.png", "old chart\n");
	put(out, "notes.txt", "mine\n");
	struct stat before, after;
	assert_int_equal(stat(out, &before), 0);

	struct adir *d;
	assert_int_equal(adir_open(out, set_names, 3, &d), 0);
	put(adir_staging(d), "summary.json", "new\n");
	put(adir_staging(d), "data.csv", "new\n");
	/* Until the commit, the old set is whole. */
	assert_string_equal(listing(out, buf, sizeof(buf)),
	                    "chart.png data.csv notes.txt summary.json");
	assert_int_equal(adir_commit(d), 0);

	assert_string_equal(listing(out, buf, sizeof(buf)), "data.csv notes.txt summary.json");
	assert_string_equal(get(out, "summary.json", buf, sizeof(buf)), "new\n");
	assert_string_equal(get(out, "data.csv", buf, sizeof(buf)), "new\n");
	assert_string_equal(get(out, "notes.txt", buf, sizeof(buf)), "mine\n");
	assert_int_equal(stat(out, &after), 0);
	assert_true(after.st_ino != before.st_ino); /* exchanged, not renamed file by file */
	assert_int_equal(after.st_mode & 07777, before.st_mode & 07777);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "out");
}

static void test_adir_refuses_a_second_writer_while_the_first_holds_it(void **state)
{
	struct tdir *t = *state;
	char out[128];
	snprintf(out, sizeof(out), "%s/out", t->path);
	struct adir *d, *e;
	assert_int_equal(adir_open(out, set_names, 3, &d), 0);
	assert_int_equal(adir_open(out, set_names, 3, &e), -EWOULDBLOCK);
	put(adir_staging(d), "summary.json", "first\n");
	assert_int_equal(adir_commit(d), 0);
	assert_int_equal(adir_open(out, set_names, 3, &e), 0);
	adir_abort(e);
}

static void test_adir_abort_leaves_the_old_set_and_removes_a_directory_it_made(void **state)
{
	struct tdir *t = *state;
	char out[128], made[128], buf[256];
	snprintf(out, sizeof(out), "%s/out", t->path);
	assert_int_equal(mkdir(out, 0755), 0);
	put(out, "summary.json", "old\n");
	struct adir *d;
	assert_int_equal(adir_open(out, set_names, 3, &d), 0);
	put(adir_staging(d), "summary.json", "new\n");
	adir_abort(d);
	assert_string_equal(listing(out, buf, sizeof(buf)), "summary.json");
	assert_string_equal(get(out, "summary.json", buf, sizeof(buf)), "old\n");

	snprintf(made, sizeof(made), "%s/a/b", t->path);
	assert_int_equal(adir_open(made, set_names, 3, &d), 0);
	adir_abort(d);
	assert_string_equal(listing(t->path, buf, sizeof(buf)), "out");
}

static void test_adir_open_removes_stale_temporaries_of_its_own_names_only(void **state)
{
	struct tdir *t = *state;
	char out[128], p[256], buf[256];
	snprintf(out, sizeof(out), "%s/out", t->path);
	assert_int_equal(mkdir(out, 0755), 0);
	snprintf(p, sizeof(p), "%s/.out.lpsim-Ab12Cd", t->path); /* a killed writer's staging */
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "summary.json", "stale\n");
	snprintf(p, sizeof(p), "%s/.lpsim-tmp.Xy34Zw", out);
	assert_int_equal(mkdir(p, 0700), 0);
	put(p, "data.csv", "stale\n");
	put(out, "summary.json.tmp.Qq1234", "stale\n");
	put(out, "notes.txt.tmp.Qq1234", "not lpsim's\n");
	put(t->path, ".other.lpsim-Ab12Cd", "not this directory's\n");

	struct adir *d;
	assert_int_equal(adir_open(out, set_names, 3, &d), 0);
	adir_abort(d);
	assert_string_equal(listing(out, buf, sizeof(buf)), "notes.txt.tmp.Qq1234");
	assert_string_equal(listing(t->path, buf, sizeof(buf)), ".other.lpsim-Ab12Cd out");
}

static void test_adir_with_a_subdirectory_renames_file_by_file_in_place(void **state)
{
	struct tdir *t = *state;
	char out[128], sub[160], buf[256];
	snprintf(out, sizeof(out), "%s/out", t->path);
	snprintf(sub, sizeof(sub), "%s/sub", out);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(out, "summary.json", "old\n");
	put(out, "chart.png", "old chart\n");
	struct stat before, after;
	assert_int_equal(stat(out, &before), 0);
	struct adir *d;
	assert_int_equal(adir_open(out, set_names, 3, &d), 0);
	assert_int_equal(strncmp(adir_staging(d), out, strlen(out)), 0); /* inside it */
	put(adir_staging(d), "summary.json", "new\n");
	put(adir_staging(d), "data.csv", "new\n");
	assert_int_equal(adir_commit(d), 0);
	assert_string_equal(listing(out, buf, sizeof(buf)), "data.csv sub summary.json");
	assert_string_equal(get(out, "summary.json", buf, sizeof(buf)), "new\n");
	assert_int_equal(stat(out, &after), 0);
	assert_true(after.st_ino == before.st_ino);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_afile_commit_renames_into_place_and_leaves_no_temporary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_afile_commit_replaces_an_existing_file, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_afile_gets_the_mode_fopen_would_give, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_afile_abort_leaves_nothing_and_keeps_the_old_file,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_afile_open_in_a_missing_directory_fails_with_enoent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_afile_open_under_a_file_fails_with_enotdir, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_afile_open_in_a_read_only_directory_fails_with_eacces, setup, teardown),
	    cmocka_unit_test(test_afile_close_stream_reports_enospc_on_dev_full),
	    cmocka_unit_test_setup_teardown(
	        test_afile_commit_after_a_write_error_fails_and_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_mkdir_p_creates_parents_and_accepts_existing_directories, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_mkdir_p_reports_a_file_in_the_way_and_an_empty_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mkdir_p_in_a_read_only_directory_fails_with_eacces,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_afile_writes_a_fifo_in_place_and_keeps_it, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_afile_writes_a_character_device_in_place_and_keeps_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_afile_through_a_link_to_a_file_replaces_the_file_and_keeps_the_link, setup,
	        teardown),
	    cmocka_unit_test_setup_teardown(test_afile_refuses_a_directory_and_a_socket, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(
	        test_adir_commit_swaps_the_whole_set_and_keeps_other_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_adir_refuses_a_second_writer_while_the_first_holds_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_adir_abort_leaves_the_old_set_and_removes_a_directory_it_made, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_adir_open_removes_stale_temporaries_of_its_own_names_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_adir_with_a_subdirectory_renames_file_by_file_in_place, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
