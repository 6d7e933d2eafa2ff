/*
 * classic: the classic-path transition table (see classic.h). Reading the
 * table top to bottom is reading the state machine.
 */
#include "models/classic.h"

#define T(from, ev, to, act) [from][ev] = {to, act, true}
#define CRASH(from) T(from, CL_EV_CRASHED, CL_CRASHED, CL_ACT_CRASH)

static const struct cl_step table[CL_NSTATES][CL_NEVENTS] = {
	T(CL_PENDING, CL_EV_START, CL_EVACUATING, CL_ACT_EVACUATE),
	T(CL_EVACUATING, CL_EV_EVACUATED, CL_ENTERING_MM, CL_ACT_ENTER_MM),
	T(CL_EVACUATING, CL_EV_EVAC_FAILED_RETRY, CL_RETRY_WAIT, CL_ACT_WAIT_RETRY),
	T(CL_EVACUATING, CL_EV_EVAC_FAILED_LAST, CL_FAILED, CL_ACT_FINISH),
	T(CL_ENTERING_MM, CL_EV_ENTERED, CL_INSTALLING, CL_ACT_INSTALL),
	T(CL_INSTALLING, CL_EV_INSTALLED, CL_REBOOTING, CL_ACT_REBOOT),
	T(CL_INSTALLING, CL_EV_INSTALL_FAILED_RETRY, CL_RETRY_WAIT, CL_ACT_WAIT_RETRY),
	T(CL_INSTALLING, CL_EV_INSTALL_FAILED_LAST, CL_EXITING_MM, CL_ACT_EXIT_MM),
	T(CL_RETRY_WAIT, CL_EV_RETRY_EVACUATE, CL_EVACUATING, CL_ACT_EVACUATE),
	T(CL_RETRY_WAIT, CL_EV_RETRY_INSTALL, CL_INSTALLING, CL_ACT_INSTALL),
	T(CL_REBOOTING, CL_EV_REBOOTED, CL_EXITING_MM, CL_ACT_EXIT_MM),
	T(CL_EXITING_MM, CL_EV_EXITED, CL_DONE, CL_ACT_FINISH),
	T(CL_EXITING_MM, CL_EV_EXITED_FAILED, CL_FAILED, CL_ACT_FINISH),
	CRASH(CL_EVACUATING),
	CRASH(CL_ENTERING_MM),
	CRASH(CL_INSTALLING),
	CRASH(CL_REBOOTING),
	CRASH(CL_EXITING_MM),
	T(CL_CRASHED, CL_EV_RECOVERED_RETRY, CL_PENDING, CL_ACT_RESTART),
	T(CL_CRASHED, CL_EV_RECOVERED_LAST, CL_FAILED, CL_ACT_FINISH),
};

#undef CRASH
#undef T

struct cl_step cl_transition(enum cl_state s, enum cl_event ev)
{
	if ((unsigned)s >= CL_NSTATES || (unsigned)ev >= CL_NEVENTS)
		return (struct cl_step){0, CL_ACT_NONE, false};
	return table[s][ev];
}

const char *cl_state_name(enum cl_state s)
{
	static const char *const names[CL_NSTATES] = {
		"pending",    "evacuating", "entering_mm", "installing", "rebooting",
		"exiting_mm", "retry_wait", "crashed",     "done",       "failed",
	};
	return (unsigned)s < CL_NSTATES ? names[s] : "?";
}
