/*
 * vcenter_api: the SOAP client (see vcenter_api.h). One request at a time:
 * build the envelope in a growing buffer, POST it with libcurl (cookies
 * kept in memory by curl's cookie engine: the session), read the reply
 * into a buffer capped at VCAPI_MAX_REPLY, parse it with libxml2 (no
 * network, no entity substitution, no DTD) and hand back its Body.
 */
#include "scenarios/vcenter_api.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#define MSG_MAX 512

struct buf {
	char *p;
	size_t len;
	size_t cap;
	bool oom;
	bool too_big;
};

struct vcapi {
	CURL *curl;
	struct curl_slist *headers;
	char endpoint[2048];
	char err[CURL_ERROR_SIZE];
	char msg[MSG_MAX];
	long timeout_s;
	long page_objects;
	bool logged_in;
	/* service content */
	char root_folder[128];
	char property_collector[128];
	char view_manager[128];
	char session_manager[128];
	char version[64], build[64], api_version[64], api_type[64];
	struct vcapi_about about;
};

/* ---- buffers -------------------------------------------------------------------- */

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->oom || b->too_big)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* s with & < > " ' escaped (XML text or attribute). */
static void buf_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}

/* "<tag type=\"T\">ID</tag>" */
static void buf_ref(struct buf *b, const char *tag, const char *type, const char *id)
{
	buf_puts(b, "<");
	buf_puts(b, tag);
	buf_puts(b, " type=\"");
	buf_escaped(b, type);
	buf_puts(b, "\">");
	buf_escaped(b, id);
	buf_puts(b, "</");
	buf_puts(b, tag);
	buf_puts(b, ">");
}

static void buf_wipe(struct buf *b)
{
	if (b->p) {
		volatile char *v = b->p;
		for (size_t i = 0; i < b->cap; i++)
			v[i] = 0;
	}
	free(b->p);
	*b = (struct buf){0};
}

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;
	if (b->len + len > (size_t)VCAPI_MAX_REPLY) {
		b->too_big = true;
		return 0;
	}
	buf_add(b, p, len);
	return b->oom ? 0 : len;
}

static void set_msg(char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_msg(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
}

/* ---- XML helpers ---------------------------------------------------------------- */

xmlNode *vcapi_child(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

xmlNode *vcapi_path(const xmlNode *n, const char *path)
{
	char part[128];
	const xmlNode *cur = n;
	while (cur && *path) {
		size_t k = strcspn(path, ".");
		if (k >= sizeof(part))
			return NULL;
		memcpy(part, path, k);
		part[k] = '\0';
		cur = vcapi_child(cur, part);
		path += k + (path[k] == '.');
	}
	return (xmlNode *)(uintptr_t)cur;
}

const char *vcapi_text(const xmlNode *n, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!n)
		return buf;
	xmlChar *t = xmlNodeGetContent(n);
	if (t) {
		snprintf(buf, size, "%s", (const char *)t);
		xmlFree(t);
	}
	return buf;
}

const char *vcapi_xsi_type(const xmlNode *n, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!n)
		return buf;
	xmlChar *t = xmlGetNsProp(n, (const xmlChar *)"type",
	                          (const xmlChar *)"http://www.w3.org/2001/XMLSchema-instance");
	if (t) {
		const char *s = (const char *)t;
		const char *colon = strchr(s, ':');
		snprintf(buf, size, "%s", colon ? colon + 1 : s);
		xmlFree(t);
	}
	return buf;
}

xmlNode *vcapi_prop_val(xmlNode *prop)
{
	return vcapi_child(prop, "val");
}

const char *vcapi_prop_name(xmlNode *prop)
{
	xmlNode *n = vcapi_child(prop, "name");
	if (!n || !n->children || n->children->type != XML_TEXT_NODE)
		return NULL;
	return (const char *)n->children->content;
}

const char *vcapi_result_token(const xmlNode *returnval, char *buf, size_t size)
{
	return vcapi_text(vcapi_child(returnval, "token"), buf, size);
}

/* The first element child of n (any name), or NULL. */
static xmlNode *first_element(const xmlNode *n)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

enum vcapi_err vcapi_parse_reply(const char *xml, size_t len, long status, xmlDoc **doc,
                                 xmlNode **body, char *msg, size_t size)
{
	*doc = NULL;
	*body = NULL;
	if (len > (size_t)VCAPI_MAX_REPLY || len > (size_t)0x7fffffff) {
		set_msg(msg, size, "the reply is larger than %ld bytes", VCAPI_MAX_REPLY);
		return VCAPI_EPROTO;
	}
	xmlDoc *d = xmlReadMemory(xml, (int)len, "reply.xml", NULL,
	                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d) {
		if (status != 200 && status != 500)
			set_msg(msg, size,
			        "HTTP status %ld and no SOAP reply (is this a vCenter's SDK URL?)",
			        status);
		else
			set_msg(
			    msg, size,
			    "the reply is truncated or not well-formed XML (%zu bytes received)",
			    len);
		return VCAPI_EPROTO;
	}
	xmlNode *root = xmlDocGetRootElement(d);
	xmlNode *b = root && !strcmp((const char *)root->name, "Envelope")
	                 ? vcapi_child(root, "Body")
	                 : NULL;
	xmlNode *first = first_element(b);
	if (!first) {
		xmlFreeDoc(d);
		set_msg(msg, size, "HTTP status %ld and no SOAP body in the reply", status);
		return VCAPI_EPROTO;
	}
	if (!strcmp((const char *)first->name, "Fault")) {
		char fs[256], ty[128];
		vcapi_text(vcapi_child(first, "faultstring"), fs, sizeof(fs));
		vcapi_xsi_type(first_element(vcapi_child(first, "detail")), ty, sizeof(ty));
		xmlFreeDoc(d);
		bool login = !strcmp(ty, "InvalidLogin") || !strcmp(ty, "NotAuthenticated");
		set_msg(msg, size, "%s%s%s%s", login ? "login refused: " : "the server's fault: ",
		        fs[0] ? fs : "(no faultstring)", ty[0] ? " - " : "", ty);
		return login ? VCAPI_ELOGIN : VCAPI_EFAULT;
	}
	if (status != 200) {
		xmlFreeDoc(d);
		set_msg(msg, size, "HTTP status %ld", status);
		return VCAPI_EPROTO;
	}
	*doc = d;
	*body = first;
	return VCAPI_OK;
}

/* ---- the URL -------------------------------------------------------------------- */

enum vcapi_err vcapi_endpoint(const char *url, char *out, size_t size, char *msg, size_t msize)
{
	enum vcapi_err rc = VCAPI_EURL;
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *user = NULL, *pass = NULL,
	     *query = NULL;
	if (!u) {
		set_msg(msg, msize, "out of memory");
		return VCAPI_ENOMEM;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		set_msg(msg, msize, "'%s' is not a URL (https://HOST[:PORT][/sdk])", url);
		goto out_free;
	}
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
	if (user || pass) {
		set_msg(msg, msize,
		        "the URL holds a user or password: give credentials through "
		        "LPSIM_VCENTER_USER/LPSIM_VCENTER_PASSWORD or --credentials FILE");
		goto out_free;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (!scheme || strcmp(scheme, "https") != 0) {
		set_msg(msg, msize, "'%s': only https:// URLs are accepted (credentials are sent)",
		        url);
		goto out_free;
	}
	if (!host || !*host || query) {
		set_msg(msg, msize, "'%s' is not https://HOST[:PORT][/sdk]", url);
		goto out_free;
	}
	const char *p = path && strcmp(path, "/") != 0 ? path : "/sdk";
	int n = snprintf(out, size, "https://%s%s%s%s", host, port ? ":" : "", port ? port : "", p);
	if (n < 0 || (size_t)n >= size) {
		set_msg(msg, msize, "the URL is too long");
		goto out_free;
	}
	rc = VCAPI_OK;
out_free:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(user);
	curl_free(pass);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

/* ---- requests ------------------------------------------------------------------- */

static const char ENV_HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";
static const char ENV_TAIL[] = "</soapenv:Body></soapenv:Envelope>";

static enum vcapi_err curl_error(struct vcapi *c, CURLcode cc)
{
	const char *detail = c->err[0] ? c->err : curl_easy_strerror(cc);
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		set_msg(c->msg, sizeof(c->msg), "no complete reply within %ld s (--timeout): %s",
		        c->timeout_s, detail);
		return VCAPI_ETIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		set_msg(c->msg, sizeof(c->msg), "cannot reach the server: %s", detail);
		return VCAPI_ECONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		set_msg(c->msg, sizeof(c->msg),
		        "TLS failed: %s (give the vCenter's CA with --ca-file)", detail);
		return VCAPI_ETLS;
	case CURLE_OUT_OF_MEMORY:
		set_msg(c->msg, sizeof(c->msg), "out of memory");
		return VCAPI_ENOMEM;
	default:
		set_msg(c->msg, sizeof(c->msg), "the reply was cut short: %s", detail);
		return VCAPI_EPROTO;
	}
}

/*
 * POSTs body (an envelope's inside) and parses the reply. On VCAPI_OK the
 * caller frees *doc. The request buffer is wiped (it may hold the password).
 */
static enum vcapi_err call(struct vcapi *c, struct buf *req, xmlDoc **doc, xmlNode **body)
{
	struct buf env = {0}, reply = {0};
	buf_puts(&env, ENV_HEAD);
	buf_add(&env, req->p ? req->p : "", req->len);
	buf_puts(&env, ENV_TAIL);
	buf_wipe(req);
	if (env.oom) {
		buf_wipe(&env);
		set_msg(c->msg, sizeof(c->msg), "out of memory");
		return VCAPI_ENOMEM;
	}
	c->err[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, env.p);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)env.len);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &reply);
	CURLcode cc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
	buf_wipe(&env);
	enum vcapi_err rc;
	if (reply.too_big) {
		set_msg(c->msg, sizeof(c->msg), "the reply is larger than %ld bytes",
		        VCAPI_MAX_REPLY);
		rc = VCAPI_EPROTO;
	} else if (reply.oom) {
		set_msg(c->msg, sizeof(c->msg), "out of memory");
		rc = VCAPI_ENOMEM;
	} else if (cc != CURLE_OK) {
		rc = curl_error(c, cc);
	} else {
		long status = 0;
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
		rc = vcapi_parse_reply(reply.p ? reply.p : "", reply.len, status, doc, body, c->msg,
		                       sizeof(c->msg));
	}
	buf_wipe(&reply);
	return rc;
}

/* Copies a <tag type=..>id</tag> child's id into out. */
static void ref_of(const xmlNode *n, const char *tag, char *out, size_t size)
{
	vcapi_text(vcapi_child(n, tag), out, size);
}

static enum vcapi_err service_content(struct vcapi *c)
{
	struct buf req = {0};
	buf_puts(&req, "<RetrieveServiceContent xmlns=\"urn:vim25\">");
	buf_ref(&req, "_this", "ServiceInstance", "ServiceInstance");
	buf_puts(&req, "</RetrieveServiceContent>");
	xmlDoc *doc;
	xmlNode *body;
	enum vcapi_err rc = call(c, &req, &doc, &body);
	if (rc != VCAPI_OK)
		return rc;
	xmlNode *rv = vcapi_child(body, "returnval");
	ref_of(rv, "rootFolder", c->root_folder, sizeof(c->root_folder));
	ref_of(rv, "propertyCollector", c->property_collector, sizeof(c->property_collector));
	ref_of(rv, "viewManager", c->view_manager, sizeof(c->view_manager));
	ref_of(rv, "sessionManager", c->session_manager, sizeof(c->session_manager));
	xmlNode *about = vcapi_child(rv, "about");
	vcapi_text(vcapi_child(about, "version"), c->version, sizeof(c->version));
	vcapi_text(vcapi_child(about, "build"), c->build, sizeof(c->build));
	vcapi_text(vcapi_child(about, "apiVersion"), c->api_version, sizeof(c->api_version));
	vcapi_text(vcapi_child(about, "apiType"), c->api_type, sizeof(c->api_type));
	xmlFreeDoc(doc);
	if (!c->root_folder[0] || !c->property_collector[0] || !c->view_manager[0] ||
	    !c->session_manager[0]) {
		set_msg(c->msg, sizeof(c->msg),
		        "the service content lacks the root folder, property collector, view "
		        "manager or session manager (not a vCenter?)");
		return VCAPI_EPROTO;
	}
	c->about = (struct vcapi_about){c->version, c->build, c->api_version, c->api_type};
	/* SOAPAction names the API version, so that the server answers in it. */
	char action[128];
	snprintf(action, sizeof(action), "SOAPAction: \"urn:vim25/%s\"",
	         c->api_version[0] ? c->api_version : "6.5");
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	if (h) {
		struct curl_slist *h2 = curl_slist_append(h, action);
		if (!h2) {
			curl_slist_free_all(h);
			h = NULL;
		}
	}
	if (!h) {
		set_msg(c->msg, sizeof(c->msg), "out of memory");
		return VCAPI_ENOMEM;
	}
	curl_slist_free_all(c->headers);
	c->headers = h;
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
	return VCAPI_OK;
}

static enum vcapi_err login(struct vcapi *c, const char *user, const char *password)
{
	struct buf req = {0};
	buf_puts(&req, "<Login xmlns=\"urn:vim25\">");
	buf_ref(&req, "_this", "SessionManager", c->session_manager);
	buf_puts(&req, "<userName>");
	buf_escaped(&req, user);
	buf_puts(&req, "</userName><password>");
	buf_escaped(&req, password);
	buf_puts(&req, "</password></Login>");
	xmlDoc *doc;
	xmlNode *body;
	enum vcapi_err rc = call(c, &req, &doc, &body);
	if (rc == VCAPI_OK) {
		xmlFreeDoc(doc);
		c->logged_in = true;
	} else if (rc == VCAPI_EFAULT) {
		rc = VCAPI_ELOGIN;
	}
	return rc;
}

enum vcapi_err vcapi_open(const struct vcapi_opts *opts, struct vcapi **out, char *msg, size_t size)
{
	*out = NULL;
	struct vcapi *c = calloc(1, sizeof(*c));
	if (!c) {
		set_msg(msg, size, "out of memory");
		return VCAPI_ENOMEM;
	}
	enum vcapi_err rc = vcapi_endpoint(opts->url, c->endpoint, sizeof(c->endpoint), msg, size);
	if (rc != VCAPI_OK) {
		free(c);
		return rc;
	}
	c->timeout_s = opts->timeout_s > 0 ? opts->timeout_s : 60;
	c->page_objects = opts->page_objects > 0 ? opts->page_objects : VCAPI_PAGE_OBJECTS;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c->curl = curl_easy_init())) {
		free(c);
		set_msg(msg, size, "cannot start libcurl");
		return VCAPI_ENOMEM;
	}
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_URL, c->endpoint);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* in-memory cookies: the session */
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, opts->insecure ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, opts->insecure ? 0L : 2L);
	if (opts->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, opts->ca_file);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: text/xml; charset=utf-8");
	if (!hdr) {
		vcapi_close(c);
		set_msg(msg, size, "out of memory");
		return VCAPI_ENOMEM;
	}
	c->headers = hdr;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
	rc = service_content(c);
	if (rc == VCAPI_OK)
		rc = login(c, opts->user ? opts->user : "", opts->password ? opts->password : "");
	if (rc != VCAPI_OK) {
		set_msg(msg, size, "%s", c->msg);
		vcapi_close(c);
		return rc;
	}
	*out = c;
	return VCAPI_OK;
}

const struct vcapi_about *vcapi_about(const struct vcapi *c)
{
	return &c->about;
}

const char *vcapi_last_message(const struct vcapi *c)
{
	return c->msg;
}

/* ---- retrieval ------------------------------------------------------------------ */

static enum vcapi_err create_view(struct vcapi *c, const char *type, char *view, size_t size)
{
	struct buf req = {0};
	buf_puts(&req, "<CreateContainerView xmlns=\"urn:vim25\">");
	buf_ref(&req, "_this", "ViewManager", c->view_manager);
	buf_ref(&req, "container", "Folder", c->root_folder);
	buf_puts(&req, "<type>");
	buf_escaped(&req, type);
	buf_puts(&req, "</type><recursive>true</recursive></CreateContainerView>");
	xmlDoc *doc;
	xmlNode *body;
	enum vcapi_err rc = call(c, &req, &doc, &body);
	if (rc != VCAPI_OK)
		return rc;
	vcapi_text(vcapi_child(body, "returnval"), view, size);
	xmlFreeDoc(doc);
	if (!view[0]) {
		set_msg(c->msg, sizeof(c->msg), "CreateContainerView returned no view");
		return VCAPI_EPROTO;
	}
	return VCAPI_OK;
}

static void destroy_view(struct vcapi *c, const char *view)
{
	struct buf req = {0};
	buf_puts(&req, "<DestroyView xmlns=\"urn:vim25\">");
	buf_ref(&req, "_this", "ContainerView", view);
	buf_puts(&req, "</DestroyView>");
	xmlDoc *doc;
	xmlNode *body;
	char keep[MSG_MAX];
	memcpy(keep, c->msg, sizeof(keep)); /* an error here must not hide the first one */
	if (call(c, &req, &doc, &body) == VCAPI_OK)
		xmlFreeDoc(doc);
	memcpy(c->msg, keep, sizeof(keep));
}

static void retrieve_request(struct vcapi *c, struct buf *req, const char *type,
                             const char *const *paths, size_t npaths, const char *view)
{
	buf_puts(req, "<RetrievePropertiesEx xmlns=\"urn:vim25\">");
	buf_ref(req, "_this", "PropertyCollector", c->property_collector);
	buf_puts(req, "<specSet><propSet><type>");
	buf_escaped(req, type);
	buf_puts(req, "</type>");
	for (size_t i = 0; i < npaths; i++) {
		buf_puts(req, "<pathSet>");
		buf_escaped(req, paths[i]);
		buf_puts(req, "</pathSet>");
	}
	buf_puts(req, "</propSet><objectSet>");
	buf_ref(req, "obj", "ContainerView", view);
	buf_puts(req, "<skip>true</skip><selectSet xsi:type=\"TraversalSpec\"><name>view</name>"
	              "<type>ContainerView</type><path>view</path><skip>false</skip></selectSet>"
	              "</objectSet></specSet><options>");
	char n[32];
	snprintf(n, sizeof(n), "<maxObjects>%ld</maxObjects>", c->page_objects);
	buf_puts(req, n);
	buf_puts(req, "</options></RetrievePropertiesEx>");
}

static void continue_request(struct vcapi *c, struct buf *req, const char *token)
{
	buf_puts(req, "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\">");
	buf_ref(req, "_this", "PropertyCollector", c->property_collector);
	buf_puts(req, "<token>");
	buf_escaped(req, token);
	buf_puts(req, "</token></ContinueRetrievePropertiesEx>");
}

/* Calls fn for each <objects> of a RetrieveResult. */
static int each_object(const xmlNode *rv, vcapi_object_fn fn, void *ctx)
{
	xmlNode *props[256], *missing[256];
	for (xmlNode *o = rv ? rv->children : NULL; o; o = o->next) {
		if (o->type != XML_ELEMENT_NODE || strcmp((const char *)o->name, "objects") != 0)
			continue;
		xmlNode *obj = vcapi_child(o, "obj");
		xmlChar *type = obj ? xmlGetProp(obj, (const xmlChar *)"type") : NULL;
		char id[256];
		vcapi_text(obj, id, sizeof(id));
		size_t np = 0, nm = 0;
		for (xmlNode *p = o->children; p; p = p->next) {
			if (p->type != XML_ELEMENT_NODE)
				continue;
			if (!strcmp((const char *)p->name, "propSet") && np < 256)
				props[np++] = p;
			else if (!strcmp((const char *)p->name, "missingSet") && nm < 256)
				missing[nm++] = p;
		}
		struct vcapi_object vo = {
		    type ? (const char *)type : "", id, props, np, missing, nm};
		int r = fn(ctx, &vo);
		xmlFree(type);
		if (r)
			return r;
	}
	return 0;
}

int vcapi_retrieve(struct vcapi *c, const char *type, const char *const *paths, size_t npaths,
                   vcapi_object_fn fn, void *ctx)
{
	char view[256];
	c->msg[0] = '\0';
	enum vcapi_err rc = create_view(c, type, view, sizeof(view));
	if (rc != VCAPI_OK)
		return (int)rc;
	struct buf req = {0};
	retrieve_request(c, &req, type, paths, npaths, view);
	int out = 0;
	for (long page = 0;; page++) {
		xmlDoc *doc;
		xmlNode *body;
		rc = call(c, &req, &doc, &body);
		if (rc != VCAPI_OK) {
			out = (int)rc;
			break;
		}
		xmlNode *rv = vcapi_child(body, "returnval");
		char token[512];
		vcapi_result_token(rv, token, sizeof(token));
		out = each_object(rv, fn, ctx);
		xmlFreeDoc(doc);
		if (out || !token[0])
			break;
		continue_request(c, &req, token);
	}
	buf_wipe(&req);
	destroy_view(c, view);
	return out;
}

void vcapi_close(struct vcapi *c)
{
	if (!c)
		return;
	if (c->logged_in) {
		struct buf req = {0};
		buf_puts(&req, "<Logout xmlns=\"urn:vim25\">");
		buf_ref(&req, "_this", "SessionManager", c->session_manager);
		buf_puts(&req, "</Logout>");
		xmlDoc *doc;
		xmlNode *body;
		if (call(c, &req, &doc, &body) == VCAPI_OK)
			xmlFreeDoc(doc);
	}
	if (c->curl)
		curl_easy_cleanup(c->curl);
	curl_slist_free_all(c->headers);
	memset(c, 0, sizeof(*c));
	free(c);
}
