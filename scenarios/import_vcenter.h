/*
 * import_vcenter: the estate read live from vCenter (`lpsim import
 * vcenter`), through vcenter_api.h, written with import_estate.h's writer.
 * Which API property becomes which scenario key (the full table, with its
 * sources, is in scenarios/FORMAT.md, "Importing from vCenter"):
 *
 *   ComputeResource (clusters, and standalone hosts as clusters of their own):
 *     name; configurationEx (ClusterConfigInfoEx): drsConfig.enabled ->
 *     drs.enabled, drsConfig.defaultVmBehavior -> drs.automation,
 *     dasConfig.enabled -> ha.enabled, dasConfig.admissionControlEnabled and
 *     admissionControlPolicy -> ha.admission_control_pct (resources policy:
 *     the larger of its CPU and memory percentages; failover level or
 *     failover hosts: that many hosts as a percentage of the cluster's),
 *     vsanConfigInfo.enabled -> vsan. A standalone host: DRS, HA and vSAN off.
 *   HostSystem: name, parent (its compute resource), config.product.version
 *     and .build -> version (and a comment), hardware.cpuInfo.numCpuCores ->
 *     cores, hardware.memorySize (bytes) -> memory_gb (GiB),
 *     capability.tpmSupported -> tpm, a dpuStatusInfo in
 *     runtime.healthSystemRuntime.hardwareStatusInfo -> dpu,
 *     runtime.connectionState and runtime.inMaintenanceMode -> a comment and
 *     a warning (the format has no key for them).
 *   VirtualMachine: name, runtime.host (the host, hence the cluster),
 *     runtime.powerState -> power, config.hardware.numCPU -> vcpus,
 *     config.hardware.memoryMB -> memory_gb, runtime.faultToleranceState
 *     and config.ftInfo.role -> ft (secondaries, role >= 2, are skipped),
 *     config.hardware.device: VirtualPCIPassthrough (DirectPath I/O,
 *     Dynamic DirectPath, vGPU) or VirtualSriovEthernetCard -> directpath;
 *     a SCSI controller whose sharedBus is not noSharing, or a disk whose
 *     backing.sharing is sharingMultiWriter -> shared_disk;
 *     config.guestId crxPod* -> vsphere_pod; config.cpuAllocation and
 *     config.memoryAllocation reservations -> a comment. Skipped: templates
 *     (config.template), VMs whose runtime.connectionState is not
 *     connected or whose config is missing, VMs without runtime.host.
 *   ServiceContent.about.version and .build -> vcenter.version (a comment).
 *
 * Not read: the live patch mode and the vLCM image (the vLCM settings are
 * in the vSphere Automation REST API, not in the Web Services API), dirty
 * rates, the patch: lpsim's defaults are written, said so in comments.
 */
#ifndef LPSIM_IMPORT_VCENTER_H
#define LPSIM_IMPORT_VCENTER_H

#include <stddef.h>

#include "scenarios/import_estate.h"
#include "scenarios/import_log.h"
#include "scenarios/vcenter_api.h"

struct ivc_request {
	struct vcapi_opts api;     /* the connection (credentials borrowed for the call) */
	const char *scenario_name; /* must pass scenario_name_ok() */
};

struct ivc_result {
	char *yaml; /* the scenario (NUL-terminated, malloc'd); NULL after an error */
	size_t len;
	struct iestate_stats stats;
	long skipped_templates;
	long skipped_ft_secondaries;
	long skipped_disconnected; /* VMs not connected, or without a config */
	long skipped_homeless;     /* VMs on no host, hosts in no compute resource */
	long hosts_not_connected;
	long hosts_in_maintenance;
};

enum ivc_status {
	IVC_OK = 0,
	IVC_API,    /* the API failed: *api_err and msg say how */
	IVC_EINVAL, /* nothing to write (errors in the log) */
	IVC_ENOMEM,
};

/*
 * Connects, reads the inventory, logs out (whatever happened) and writes
 * the scenario into res (free with ivc_result_fini). Warnings go to log.
 * On IVC_API, *api_err is the vcapi error and msg (size bytes) its message.
 */
enum ivc_status ivc_run(const struct ivc_request *rq, struct ilog *log, struct ivc_result *res,
                        enum vcapi_err *api_err, char *msg, size_t size);

void ivc_result_fini(struct ivc_result *res);

/*
 * Reads a credentials file: lines "user=NAME" and "password=SECRET"
 * (blank lines and lines starting with '#' ignored; nothing trimmed but
 * the line end). The file must be a regular file that only its owner may
 * read or write (mode & 077 == 0, e.g. 0600). Returns 0 with user and
 * password filled (NUL-terminated, at most size - 1 bytes each); -ENOENT
 * (or another errno) when it cannot be opened; -EACCES when others may
 * read or write it; -EINVAL when malformed. msg says which, never with a
 * value from the file. The caller wipes the buffers after use.
 */
int ivc_read_credentials(const char *path, char *user, char *password, size_t size, char *msg,
                         size_t msize);

#endif
