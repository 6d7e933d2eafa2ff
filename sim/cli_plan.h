/*
 * cli_plan: `lpsim plan SCENARIO --window DURATION ...`: the smallest value
 * of one sweep axis whose makespan fits the window at a confidence, with
 * the evidence table (the criterion is explained in cli_plan.c and the
 * README).
 */
#ifndef LPSIM_CLI_PLAN_H
#define LPSIM_CLI_PLAN_H

/* argv[0] is "plan". Returns the exit status (sim/cli.h). */
int cli_plan(int argc, char **argv);

#endif
