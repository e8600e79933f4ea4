// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Container ids and pod uids from the cgroup layouts of each runtime, and what is not one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "proc/container.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD "7e1c1a4b-59f3-4a57-9c3e-2f7d3b0c9a11"
#define POD_ "7e1c1a4b_59f3_4a57_9c3e_2f7d3b0c9a11"

static void expect(const char *text, const char *id, const char *pod)
{
	struct container c;
	bool found = container_parse(text, strlen(text), &c);

	assert_int_equal(found, id != NULL);
	assert_string_equal(c.id, id ? id : "");
	assert_string_equal(c.pod_uid, pod ? pod : "");
}

static void test_runtimes(void **state)
{
	(void)state;
	expect("12:pids:/docker/" ID "\n0::/\n", ID, NULL);
	expect("0::/system.slice/docker-" ID ".scope\n", ID, NULL);
	expect("4:memory:/kubepods/burstable/pod" POD "/" ID "\n", ID, POD);
	expect("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_
	       ".slice/cri-containerd-" ID ".scope\n", ID, POD);
	expect("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_
	       ".slice/crio-" ID ".scope\n", ID, POD);
	expect("1:name=systemd:/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
	       ".scope/container\n", ID, NULL);
}

static void test_what_is_not_a_container(void **state)
{
	(void)state;
	expect("0::/user.slice/user-1000.slice/session-3.scope\n", NULL, NULL);
	/* The runtime's monitor, a 32-digit id, upper case, one digit short or long. */
	expect("0::/machine.slice/libpod-conmon-" ID ".scope\n", NULL, NULL);
	expect("4:memory:/process_api/08de6091effb04bbd2b84210633596a8\n", NULL, NULL);
	expect("0::/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n", NULL, NULL);
	expect("0::/docker/" ID "0\n", NULL, NULL);
	expect("0::/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n", NULL, NULL);
	/* A pod's own cgroup names no container; a pod uid alone is not reported. */
	expect("0::/kubepods/burstable/pod" POD "\n", NULL, NULL);
	/* Hostile and broken text: no crash, nothing found. */
	expect("", NULL, NULL);
	expect("::::::\n\n\n", NULL, NULL);
	expect("0::/kubepods/burstable/pod7e1c1a4b-59f3-4a57-9c3e-2f7d3b0c9a1", NULL, NULL);
	expect("0::pod", NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_what_is_not_a_container),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
