package dev.resty4j.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/** The platform threads' stacks (event loops included), for the failure message of a lost response. */
public final class ThreadDump {

    private ThreadDump() {
    }

    public static String now() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append(t);
        }
        return out.toString();
    }
}
