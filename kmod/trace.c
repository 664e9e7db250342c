// SPDX-License-Identifier: GPL-2.0
/*
 * kipc's tracepoints, instantiated: trace.h, read once more with
 * CREATE_TRACE_POINTS, defines them here and only here. The events and
 * their fields are documented in trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
