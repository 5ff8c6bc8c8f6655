package dev.resty4j.js.api;

import dev.resty4j.js.JsWorkerVm;
import org.graalvm.polyglot.HostAccess;

/** {@code ngx.worker.pid/id/count/exiting}. */
public final class NgxWorker {

    private static final long PID = ProcessHandle.current().pid();

    private final JsWorkerVm vm;

    NgxWorker(JsWorkerVm vm) {
        this.vm = vm;
    }

    @HostAccess.Export
    public double pid() {
        return PID;
    }

    @HostAccess.Export
    public int id() {
        return vm.worker().id();
    }

    @HostAccess.Export
    public int count() {
        return vm.worker().resty().workerCount();
    }

    @HostAccess.Export
    public boolean exiting() {
        return vm.worker().exiting();
    }
}
