/*
 * vcenter_api: a small client of the vSphere Web Services (SOAP) API, the
 * API RVTools, PowerCLI and govc use, for `lpsim import vcenter`. It
 * speaks HTTPS through libcurl and reads the replies with libxml2; it
 * calls, in this order:
 *
 *   RetrieveServiceContent   the root folder, the managers, about (version)
 *   Login                    SessionManager; the session is a cookie kept
 *                            by this client only (never written anywhere)
 *   CreateContainerView      ViewManager: every object of one type under
 *                            the root folder (recursive)
 *   RetrievePropertiesEx     PropertyCollector: the properties asked for,
 *   ContinueRetrievePropertiesEx   page after page (maxObjects per page)
 *                            while the reply carries a token
 *   DestroyView              after each type
 *   Logout                   in vcapi_close(), also after an error
 *
 * Security. TLS is verified against the system's CA store, or against
 * opts->ca_file; opts->insecure turns verification off (the caller warns).
 * Every request has opts->timeout_s as its total limit. The password is
 * sent only inside the Login request, XML-escaped; no message of this
 * module contains it, the user name, the session cookie or a reply's body
 * (a server's faultstring is quoted: servers do not echo credentials
 * there). No global mutable state: one struct vcapi per connection.
 *
 * Errors are enum vcapi_err values; vcapi_message() says what failed in
 * one line ("cannot connect to 127.0.0.1:1: Connection refused").
 */
#ifndef LPSIM_VCENTER_API_H
#define LPSIM_VCENTER_API_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* Largest reply accepted (bytes): a larger one is an error (VCAPI_EPROTO). */
#define VCAPI_MAX_REPLY (512L * 1024 * 1024)
/* Objects asked per page of RetrievePropertiesEx. */
#define VCAPI_PAGE_OBJECTS 1000

enum vcapi_err {
	VCAPI_OK = 0,
	VCAPI_EURL,     /* the URL is not https://HOST[:PORT][/PATH] (or holds credentials) */
	VCAPI_ECONNECT, /* host unknown, connection refused or reset */
	VCAPI_ETLS,     /* TLS handshake or certificate verification failed */
	VCAPI_ETIMEOUT, /* a request took longer than timeout_s */
	VCAPI_ELOGIN,   /* the server refused the user name or password */
	VCAPI_EPROTO,   /* not a SOAP reply: HTTP error, truncated or malformed XML, too large */
	VCAPI_EFAULT,   /* the server answered with a SOAP fault (other than a login failure) */
	VCAPI_ENOMEM,
};

struct vcapi_opts {
	const char *url;      /* https://vcenter.example.com (or .../sdk); borrowed */
	const char *user;     /* borrowed for vcapi_open() only */
	const char *password; /* borrowed for vcapi_open() only */
	const char *ca_file;  /* PEM bundle to verify the server with, or NULL: the system store */
	bool insecure;        /* do not verify the server's certificate nor its name */
	long timeout_s;       /* total limit of each request, >= 1 */
	long page_objects;    /* maxObjects per page; <= 0: VCAPI_PAGE_OBJECTS */
};

/* What RetrieveServiceContent's about says of the server (strings owned by the client). */
struct vcapi_about {
	const char *version;     /* "8.0.3" */
	const char *build;       /* "24022515" */
	const char *api_version; /* "8.0.3.0" */
	const char *api_type;    /* "VirtualCenter" or "HostAgent" */
};

struct vcapi;

/*
 * Connects to opts->url, reads the service content and logs in. Returns
 * VCAPI_OK and *out (close it with vcapi_close()), or an error with *out
 * NULL and the message in msg (size bytes, NUL-terminated; size >= 1).
 */
enum vcapi_err vcapi_open(const struct vcapi_opts *opts, struct vcapi **out, char *msg,
                          size_t size);

/* The server's about; valid until vcapi_close(). */
const struct vcapi_about *vcapi_about(const struct vcapi *c);

/* One object of a retrieval: its type ("HostSystem"), its id ("host-12"), its properties. */
struct vcapi_object {
	const char *type;
	const char *id;
	xmlNode *const
	    *props; /* each a <propSet>: children <name> and <val> (see vcapi_prop_val) */
	size_t nprops;
	xmlNode *const *missing; /* each a <missingSet>: <path> and <fault> (e.g. NoPermission) */
	size_t nmissing;
};

/* Called once per object; a nonzero return stops the retrieval and is returned by it. */
typedef int (*vcapi_object_fn)(void *ctx, const struct vcapi_object *o);

/*
 * Every object of type (and its subtypes) under the root folder, with the
 * property paths asked (a path the server does not have is a fault),
 * page by page; fn sees each object once, in the server's order. The
 * object and its nodes are valid during the call only. Returns VCAPI_OK,
 * an error (message in vcapi_last_message()) or, as an int, fn's nonzero.
 */
int vcapi_retrieve(struct vcapi *c, const char *type, const char *const *paths, size_t npaths,
                   vcapi_object_fn fn, void *ctx);

/* The message of the last error of c ("" when none). */
const char *vcapi_last_message(const struct vcapi *c);

/*
 * Logs out (when logged in; an error there is ignored: the session then
 * times out on the server) and frees c. NULL is a no-op.
 */
void vcapi_close(struct vcapi *c);

/* ---- reading replies (exported for the mapping and the tests) -------------- */

/* The value node of a <propSet> (its <val>), its <name>'s text, or NULL. */
xmlNode *vcapi_prop_val(xmlNode *prop);
const char *vcapi_prop_name(xmlNode *prop); /* libxml2-owned; valid with the node */

/* The first element child of n whose local name is name (any namespace), or NULL. */
xmlNode *vcapi_child(const xmlNode *n, const char *name);

/* Follows a path of local names ("drsConfig.defaultVmBehavior") from n; NULL when absent. */
xmlNode *vcapi_path(const xmlNode *n, const char *path);

/* The text of n into buf (size bytes, cut, NUL-terminated); "" for NULL. Returns buf. */
const char *vcapi_text(const xmlNode *n, char *buf, size_t size);

/* n's xsi:type without a prefix ("VirtualPCIPassthrough") into buf; "" when none. Returns buf. */
const char *vcapi_xsi_type(const xmlNode *n, char *buf, size_t size);

/*
 * Parses one SOAP reply (status: the HTTP status) into a document whose
 * Body's first element is returned in *body (free the document with
 * xmlFreeDoc(*doc)). A SOAP fault gives VCAPI_EFAULT, or VCAPI_ELOGIN
 * for InvalidLogin / NotAuthenticated, with its faultstring in msg;
 * XML that does not parse (truncated, malformed) or has no Body gives
 * VCAPI_EPROTO. Exported for the tests.
 */
enum vcapi_err vcapi_parse_reply(const char *xml, size_t len, long status, xmlDoc **doc,
                                 xmlNode **body, char *msg, size_t size);

/* The <token> of a RetrieveResult (the <returnval>) into buf, or "" when the last page. */
const char *vcapi_result_token(const xmlNode *returnval, char *buf, size_t size);

/*
 * Checks a URL and writes the SOAP endpoint into out ("https://h[:p]/sdk"
 * when the path is empty or "/"). Returns VCAPI_OK or VCAPI_EURL with a
 * message that never repeats a user or password part.
 */
enum vcapi_err vcapi_endpoint(const char *url, char *out, size_t size, char *msg, size_t msize);

#endif
