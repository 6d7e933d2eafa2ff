/*
 * fuzz_vcenter_reply: libFuzzer target for the SOAP replies `lpsim import
 * vcenter` reads (scenarios/vcenter_api.h). The input is one reply body;
 * it is parsed as a 200 and as a 500 reply, and every element of a
 * parsed body is walked with the helpers the mapping uses (text, xsi:type,
 * a property's name and value, a page's token). Crashes, leaks, hangs and
 * sanitizer reports are findings; no input may reach the network or a file
 * (entities are not expanded).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenarios/vcenter_api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(xmlNode *n, int depth)
{
	char buf[256];
	size_t k = 0;
	for (; n && depth < 64; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		vcapi_text(n, buf, sizeof(buf));
		vcapi_xsi_type(n, buf, sizeof(buf));
		vcapi_result_token(n, buf, sizeof(buf));
		k += vcapi_prop_name(n) != NULL;
		k += vcapi_prop_val(n) != NULL;
		k += vcapi_path(n, "drsConfig.defaultVmBehavior") != NULL;
		k += walk(n->children, depth + 1);
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 500};
	for (size_t i = 0; i < 2; i++) {
		xmlDoc *doc;
		xmlNode *body;
		char msg[512] = "";
		if (vcapi_parse_reply((const char *)data, size, statuses[i], &doc, &body, msg,
		                      sizeof(msg)) == VCAPI_OK) {
			walk(body, 0);
			xmlFreeDoc(doc);
		}
		if (!memchr(msg, '\0', sizeof(msg)))
			__builtin_trap();
	}
	return 0;
}
