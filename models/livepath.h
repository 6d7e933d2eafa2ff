/*
 * livepath: the live-patch state machine of one host, as a table.
 *
 *   pending -> entering_partial_mm -> mounting -> patching -> fsr
 *           -> exiting_partial_mm -> done
 *
 * with patching -> rollback -> retry_wait -> mounting on a failed patch,
 * and rollback -> exiting_partial_mm -> failed once the retries are spent.
 * A crash during an attempt (injected fault) reboots the host and starts
 * it again from pending, counting as a retry.
 *
 * The table knows no time and no hardware: a transition names the next
 * state and an action, which the driver (models/rem.c) carries out through
 * the hardware interface (models/hw.h). Where one completion can lead two
 * ways (a rollback with or without retries left, an FSR with or without
 * VMs left), the driver classifies it into two events first, so every row
 * stays a plain (state, event) -> (state, action).
 */
#ifndef LPSIM_LIVEPATH_H
#define LPSIM_LIVEPATH_H

#include <stdbool.h>
#include <stdint.h>

enum lp_state {
	LP_PENDING,
	LP_ENTERING_PMM,
	LP_MOUNTING,
	LP_PATCHING,
	LP_ROLLBACK,
	LP_RETRY_WAIT,
	LP_FSR,
	LP_EXITING_PMM,
	LP_CRASHED,
	LP_DONE,
	LP_FAILED,
	LP_NSTATES
};

enum lp_event {
	LP_EV_START,             /* vLCM starts this host */
	LP_EV_ENTERED,           /* partial maintenance mode entered */
	LP_EV_MOUNTED,           /* new revision mounted */
	LP_EV_PATCHED,           /* patched, and some VMs need FSR */
	LP_EV_PATCHED_NO_FSR,    /* patched, no VM to fast-suspend-resume */
	LP_EV_PATCH_FAILED,
	LP_EV_ROLLED_BACK_RETRY, /* rolled back, retries left */
	LP_EV_ROLLED_BACK_LAST,  /* rolled back, no retry left */
	LP_EV_RETRY,             /* retry_delay elapsed */
	LP_EV_FSR_MORE,          /* one FSR finished, others left or running */
	LP_EV_FSR_LAST,          /* the last FSR finished */
	LP_EV_EXITED,            /* partial maintenance mode exited, patch in place */
	LP_EV_EXITED_FAILED,     /* exited after giving up */
	LP_EV_CRASHED,           /* the host crashed during its attempt */
	LP_EV_RECOVERED_RETRY,   /* back up after a crash, retries left */
	LP_EV_RECOVERED_LAST,    /* back up after a crash, no retry left */
	LP_NEVENTS
};

enum lp_action {
	LP_ACT_NONE,
	LP_ACT_ENTER_PMM,
	LP_ACT_MOUNT,
	LP_ACT_PATCH,
	LP_ACT_ROLLBACK,
	LP_ACT_WAIT_RETRY,
	LP_ACT_FSR_START, /* start up to `concurrency` FSRs */
	LP_ACT_FSR_NEXT,  /* start the next FSR, if any is left */
	LP_ACT_EXIT_PMM,
	LP_ACT_CRASH,     /* cancel what runs, hand the VMs to HA, reboot */
	LP_ACT_RESTART,   /* from pending again */
	LP_ACT_FINISH,    /* the host left remediation (done or failed) */
};

struct lp_step {
	uint8_t next;   /* enum lp_state */
	uint8_t action; /* enum lp_action */
	bool valid;     /* false: the event is not expected in this state */
};

/* The transition for (state, event); .valid false when there is none. */
struct lp_step lp_transition(enum lp_state s, enum lp_event ev);

const char *lp_state_name(enum lp_state s);
const char *lp_event_name(enum lp_event ev);

#endif
