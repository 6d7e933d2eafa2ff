/*
 * classic: the classic-path state machine of one host, as a table, in the
 * style of livepath.h.
 *
 *   pending -> evacuating -> entering_mm -> installing -> rebooting
 *           -> exiting_mm -> done
 *
 * Evacuation (DRS vMotions and pre-remediation power actions) that fails
 * (a VM that cannot move or be powered off, no destination, a failed
 * vMotion) ends the attempt before maintenance mode; a failed install ends
 * it inside maintenance mode. Either waits retry_delay and tries again, or,
 * with the retries spent, fails (leaving maintenance mode first if in it).
 * A crash during an attempt reboots the host and starts it again from
 * pending, counting as a retry.
 */
#ifndef LPSIM_CLASSIC_H
#define LPSIM_CLASSIC_H

#include <stdbool.h>
#include <stdint.h>

enum cl_state {
	CL_PENDING,
	CL_EVACUATING,
	CL_ENTERING_MM,
	CL_INSTALLING,
	CL_REBOOTING,
	CL_EXITING_MM,
	CL_RETRY_WAIT,
	CL_CRASHED,
	CL_DONE,
	CL_FAILED,
	CL_NSTATES
};

enum cl_event {
	CL_EV_START,
	CL_EV_EVACUATED,            /* every VM moved or powered off */
	CL_EV_EVAC_FAILED_RETRY,    /* evacuation failed, retries left */
	CL_EV_EVAC_FAILED_LAST,
	CL_EV_ENTERED,              /* in maintenance mode */
	CL_EV_INSTALLED,
	CL_EV_INSTALL_FAILED_RETRY,
	CL_EV_INSTALL_FAILED_LAST,
	CL_EV_RETRY_EVACUATE,       /* retry_delay elapsed, out of maintenance mode */
	CL_EV_RETRY_INSTALL,        /* retry_delay elapsed, in maintenance mode */
	CL_EV_REBOOTED,
	CL_EV_EXITED,
	CL_EV_EXITED_FAILED,        /* exited after giving up */
	CL_EV_CRASHED,
	CL_EV_RECOVERED_RETRY,      /* back up after a crash, retries left */
	CL_EV_RECOVERED_LAST,
	CL_NEVENTS
};

enum cl_action {
	CL_ACT_NONE,
	CL_ACT_EVACUATE,
	CL_ACT_ENTER_MM,
	CL_ACT_INSTALL,
	CL_ACT_REBOOT,
	CL_ACT_EXIT_MM,
	CL_ACT_WAIT_RETRY,
	CL_ACT_CRASH,   /* cancel what runs, hand the VMs to HA, reboot */
	CL_ACT_RESTART, /* from pending again */
	CL_ACT_FINISH,  /* left remediation, done or failed */
};

struct cl_step {
	uint8_t next;   /* enum cl_state */
	uint8_t action; /* enum cl_action */
	bool valid;
};

struct cl_step cl_transition(enum cl_state s, enum cl_event ev);

const char *cl_state_name(enum cl_state s);

#endif
