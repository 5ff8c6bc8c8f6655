package dev.resty4j.core.phase;

/** What the pipeline does after a phase. */
enum Step {
    /** Go on with the next phase. */
    CONTINUE,
    /** The response is complete (or being completed); run only the log phase. */
    FINISHED,
    /** Internal redirect: match a location again for the new URI and start over. */
    EXEC
}
