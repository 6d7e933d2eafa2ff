/*
 * Tests of scenarios/vcenter_api: reading SOAP replies (a page's token,
 * login and other faults, truncated or non-SOAP replies) and checking the
 * URL, without a network: the client's calls against a real server are
 * tested by tests/cli/vcenter.sh with govmomi's simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenarios/vcenter_api.h"

#define ENV_OPEN                                                                                   \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "                             \
	"xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "                             \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
#define ENV_CLOSE "</soapenv:Body></soapenv:Envelope>"

static const char PAGE[] =
    ENV_OPEN "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><token>tok-1</token>"
             "<objects><obj type=\"HostSystem\">host-1</obj><propSet><name>name</name>"
             "<val xsi:type=\"xsd:string\">esx-01</val></propSet><propSet><name>"
             "configurationEx</name><val xsi:type=\"ClusterConfigInfoEx\"><drsConfig>"
             "<defaultVmBehavior>manual</defaultVmBehavior></drsConfig></val></propSet>"
             "</objects></returnval></RetrievePropertiesExResponse>" ENV_CLOSE;

static enum vcapi_err parse(const char *xml, long status, xmlDoc **doc, xmlNode **body, char *msg,
                            size_t size)
{
	return vcapi_parse_reply(xml, strlen(xml), status, doc, body, msg, size);
}

static void test_vcenter_api_reads_a_pages_token_and_properties(void **state)
{
	(void)state;
	xmlDoc *doc;
	xmlNode *body;
	char msg[256], buf[64];
	assert_int_equal(parse(PAGE, 200, &doc, &body, msg, sizeof(msg)), VCAPI_OK);
	xmlNode *rv = vcapi_child(body, "returnval");
	assert_string_equal(vcapi_result_token(rv, buf, sizeof(buf)), "tok-1");
	xmlNode *obj = vcapi_child(rv, "objects");
	xmlNode *p = vcapi_child(obj, "propSet");
	assert_string_equal(vcapi_prop_name(p), "name");
	assert_string_equal(vcapi_text(vcapi_prop_val(p), buf, sizeof(buf)), "esx-01");
	xmlNode *cfg = vcapi_prop_val(p->next);
	assert_string_equal(vcapi_xsi_type(cfg, buf, sizeof(buf)), "ClusterConfigInfoEx");
	assert_string_equal(
	    vcapi_text(vcapi_path(cfg, "drsConfig.defaultVmBehavior"), buf, sizeof(buf)), "manual");
	assert_null(vcapi_path(cfg, "dasConfig.enabled"));
	xmlFreeDoc(doc);
}

static void test_vcenter_api_last_page_has_no_token(void **state)
{
	(void)state;
	static const char last[] = ENV_OPEN "<RetrievePropertiesExResponse xmlns=\"urn:vim25\">"
	                                    "<returnval><objects><obj type=\"HostSystem\">h</obj>"
	                                    "</objects></returnval>"
	                                    "</RetrievePropertiesExResponse>" ENV_CLOSE;
	xmlDoc *doc;
	xmlNode *body;
	char msg[256], buf[64] = "x";
	assert_int_equal(parse(last, 200, &doc, &body, msg, sizeof(msg)), VCAPI_OK);
	assert_string_equal(vcapi_result_token(vcapi_child(body, "returnval"), buf, sizeof(buf)),
	                    "");
	xmlFreeDoc(doc);
}

static void test_vcenter_api_invalid_login_is_a_login_error(void **state)
{
	(void)state;
	static const char fault[] =
	    ENV_OPEN "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot "
	             "complete login due to an incorrect user name or password.</faultstring>"
	             "<detail><InvalidLoginFault xmlns=\"urn:vim25\" xsi:type=\"InvalidLogin\">"
	             "</InvalidLoginFault></detail></soapenv:Fault>" ENV_CLOSE;
	xmlDoc *doc;
	xmlNode *body;
	char msg[256];
	assert_int_equal(parse(fault, 500, &doc, &body, msg, sizeof(msg)), VCAPI_ELOGIN);
	assert_null(doc);
	assert_string_equal(msg, "login refused: Cannot complete login due to an incorrect user "
	                         "name or password. - InvalidLogin");
}

static void test_vcenter_api_other_faults_are_named(void **state)
{
	(void)state;
	static const char fault[] = ENV_OPEN
	    "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring/>"
	    "<detail><InvalidPropertyFault xmlns=\"urn:vim25\" xsi:type=\"InvalidProperty\">"
	    "<name>config.nope</name></InvalidPropertyFault></detail></soapenv:Fault>" ENV_CLOSE;
	xmlDoc *doc;
	xmlNode *body;
	char msg[256];
	assert_int_equal(parse(fault, 500, &doc, &body, msg, sizeof(msg)), VCAPI_EFAULT);
	assert_string_equal(msg, "the server's fault: (no faultstring) - InvalidProperty");
}

static void test_vcenter_api_truncated_reply_is_a_protocol_error(void **state)
{
	(void)state;
	char cut[sizeof(PAGE)];
	memcpy(cut, PAGE, sizeof(PAGE));
	cut[sizeof(PAGE) / 2] = '\0';
	xmlDoc *doc;
	xmlNode *body;
	char msg[256], want[128];
	assert_int_equal(parse(cut, 200, &doc, &body, msg, sizeof(msg)), VCAPI_EPROTO);
	assert_null(doc);
	snprintf(want, sizeof(want),
	         "the reply is truncated or not well-formed XML (%zu bytes received)", strlen(cut));
	assert_string_equal(msg, want);
}

static void test_vcenter_api_non_soap_replies_say_their_http_status(void **state)
{
	(void)state;
	xmlDoc *doc;
	xmlNode *body;
	char msg[256];
	assert_int_equal(parse("<html><body>Service Unavailable</body></html>", 503, &doc, &body,
	                       msg, sizeof(msg)),
	                 VCAPI_EPROTO);
	assert_string_equal(msg, "HTTP status 503 and no SOAP body in the reply");
	assert_int_equal(parse("Service Unavailable", 503, &doc, &body, msg, sizeof(msg)),
	                 VCAPI_EPROTO);
	assert_string_equal(msg,
	                    "HTTP status 503 and no SOAP reply (is this a vCenter's SDK URL?)");
	/* a well-formed reply under an error status is not taken as a result */
	assert_int_equal(parse(PAGE, 404, &doc, &body, msg, sizeof(msg)), VCAPI_EPROTO);
	assert_string_equal(msg, "HTTP status 404");
}

static void test_vcenter_api_entities_are_not_expanded(void **state)
{
	(void)state;
	static const char xxe[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	    "<soapenv:Body><R><returnval>&x;</returnval></R></soapenv:Body></soapenv:Envelope>";
	xmlDoc *doc;
	xmlNode *body;
	char msg[256], buf[256];
	assert_int_equal(parse(xxe, 200, &doc, &body, msg, sizeof(msg)), VCAPI_OK);
	assert_null(strstr(vcapi_text(vcapi_child(body, "returnval"), buf, sizeof(buf)), "root:"));
	xmlFreeDoc(doc);
}

static void test_vcenter_api_endpoint_adds_sdk_and_refuses_bad_urls(void **state)
{
	(void)state;
	char out[256], msg[256];
	assert_int_equal(
	    vcapi_endpoint("https://vc.example.com", out, sizeof(out), msg, sizeof(msg)), VCAPI_OK);
	assert_string_equal(out, "https://vc.example.com/sdk");
	assert_int_equal(
	    vcapi_endpoint("https://127.0.0.1:8443/sdk", out, sizeof(out), msg, sizeof(msg)),
	    VCAPI_OK);
	assert_string_equal(out, "https://127.0.0.1:8443/sdk");
	assert_int_equal(vcapi_endpoint("http://vc/sdk", out, sizeof(out), msg, sizeof(msg)),
	                 VCAPI_EURL);
	assert_string_equal(msg, "'http://vc/sdk': only https:// URLs are accepted (credentials "
	                         "are sent)");
	assert_int_equal(
	    vcapi_endpoint("https://root:hunter2@vc/sdk", out, sizeof(out), msg, sizeof(msg)),
	    VCAPI_EURL);
	assert_null(strstr(msg, "hunter2"));
	assert_int_equal(vcapi_endpoint("https://vc/sdk?x=1", out, sizeof(out), msg, sizeof(msg)),
	                 VCAPI_EURL);
	assert_int_equal(vcapi_endpoint("", out, sizeof(out), msg, sizeof(msg)), VCAPI_EURL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vcenter_api_reads_a_pages_token_and_properties),
	    cmocka_unit_test(test_vcenter_api_last_page_has_no_token),
	    cmocka_unit_test(test_vcenter_api_invalid_login_is_a_login_error),
	    cmocka_unit_test(test_vcenter_api_other_faults_are_named),
	    cmocka_unit_test(test_vcenter_api_truncated_reply_is_a_protocol_error),
	    cmocka_unit_test(test_vcenter_api_non_soap_replies_say_their_http_status),
	    cmocka_unit_test(test_vcenter_api_entities_are_not_expanded),
	    cmocka_unit_test(test_vcenter_api_endpoint_adds_sdk_and_refuses_bad_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
