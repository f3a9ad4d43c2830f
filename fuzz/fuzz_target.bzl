"""h2_fuzz_target: one libFuzzer target, two ways to build it.

For a target NAME this makes:
  NAME              the fuzzer. With --config=fuzz (clang-14, -fsanitize=fuzzer) it is a
                    libFuzzer binary; otherwise it links the replay main, so it still builds
                    (and replays files given as arguments) with g++.
  NAME_replay_test  a plain cc_test, tagged "fuzz_target", that runs every file of
                    corpora/NAME/ and corpora/regressions/NAME/ through the target: regression
                    replay under g++ and --config=asan, in `bazel test //...`.
Find them all with: bazel query 'attr(tags, fuzz_target, tests(//...))'.
"""

def h2_fuzz_target(name, srcs, deps = [], dict = None):
    native.cc_library(
        name = name + "_lib",
        srcs = srcs,
        deps = deps + ["@system//:absl"],
        testonly = True,
        alwayslink = True,
    )
    native.cc_binary(
        name = name,
        deps = [":" + name + "_lib"] + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["//fuzz:replay_main"],
        }),
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        testonly = True,
        tags = ["fuzz_binary"],
    )
    native.cc_test(
        name = name + "_replay_test",
        deps = [":" + name + "_lib", "//fuzz:replay_main"],
        data = ["//corpora:" + name],
        args = [
            "--require_inputs",
            "corpora/" + name,
            "corpora/regressions/" + name,
        ],
        tags = ["fuzz_target"],
    )
