/*
 * livepath: the live-path transition table (see livepath.h). Reading the
 * table top to bottom is reading the state machine.
 */
#include "models/livepath.h"

#define T(from, ev, to, act) [from][ev] = {to, act, true}
#define CRASH(from) T(from, LP_EV_CRASHED, LP_CRASHED, LP_ACT_CRASH)

static const struct lp_step table[LP_NSTATES][LP_NEVENTS] = {
	T(LP_PENDING, LP_EV_START, LP_ENTERING_PMM, LP_ACT_ENTER_PMM),
	T(LP_ENTERING_PMM, LP_EV_ENTERED, LP_MOUNTING, LP_ACT_MOUNT),
	T(LP_MOUNTING, LP_EV_MOUNTED, LP_PATCHING, LP_ACT_PATCH),
	T(LP_PATCHING, LP_EV_PATCHED, LP_FSR, LP_ACT_FSR_START),
	T(LP_PATCHING, LP_EV_PATCHED_NO_FSR, LP_EXITING_PMM, LP_ACT_EXIT_PMM),
	T(LP_PATCHING, LP_EV_PATCH_FAILED, LP_ROLLBACK, LP_ACT_ROLLBACK),
	T(LP_ROLLBACK, LP_EV_ROLLED_BACK_RETRY, LP_RETRY_WAIT, LP_ACT_WAIT_RETRY),
	T(LP_ROLLBACK, LP_EV_ROLLED_BACK_LAST, LP_EXITING_PMM, LP_ACT_EXIT_PMM),
	T(LP_RETRY_WAIT, LP_EV_RETRY, LP_MOUNTING, LP_ACT_MOUNT),
	T(LP_FSR, LP_EV_FSR_MORE, LP_FSR, LP_ACT_FSR_NEXT),
	T(LP_FSR, LP_EV_FSR_LAST, LP_EXITING_PMM, LP_ACT_EXIT_PMM),
	T(LP_EXITING_PMM, LP_EV_EXITED, LP_DONE, LP_ACT_FINISH),
	T(LP_EXITING_PMM, LP_EV_EXITED_FAILED, LP_FAILED, LP_ACT_FINISH),
	CRASH(LP_ENTERING_PMM),
	CRASH(LP_MOUNTING),
	CRASH(LP_PATCHING),
	CRASH(LP_ROLLBACK),
	CRASH(LP_FSR),
	CRASH(LP_EXITING_PMM),
	T(LP_CRASHED, LP_EV_RECOVERED_RETRY, LP_PENDING, LP_ACT_RESTART),
	T(LP_CRASHED, LP_EV_RECOVERED_LAST, LP_FAILED, LP_ACT_FINISH),
};

#undef CRASH
#undef T

struct lp_step lp_transition(enum lp_state s, enum lp_event ev)
{
	if ((unsigned)s >= LP_NSTATES || (unsigned)ev >= LP_NEVENTS)
		return (struct lp_step){0, LP_ACT_NONE, false};
	return table[s][ev];
}

const char *lp_state_name(enum lp_state s)
{
	static const char *const names[LP_NSTATES] = {
		"pending", "entering_partial_mm", "mounting", "patching", "rollback",
		"retry_wait", "fsr", "exiting_partial_mm", "crashed", "done", "failed",
	};
	return (unsigned)s < LP_NSTATES ? names[s] : "?";
}

const char *lp_event_name(enum lp_event ev)
{
	static const char *const names[LP_NEVENTS] = {
		"start", "entered", "mounted", "patched", "patched_no_fsr", "patch_failed",
		"rolled_back_retry", "rolled_back_last", "retry", "fsr_more", "fsr_last",
		"exited", "exited_failed", "crashed", "recovered_retry", "recovered_last",
	};
	return (unsigned)ev < LP_NEVENTS ? names[ev] : "?";
}
