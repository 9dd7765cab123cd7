package dev.pyloom.asyncio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A JFR event for a step of an event loop (a callback, or a task's run up to its next await)
 * that held the loop longer than the threshold: 100 ms unless the recording sets another, as
 * debug mode's slow-callback report does. Recorded in and out of debug mode, for free when no
 * recording asks for it.
 */
@Name(LoopStepEvent.NAME)
@Label("Event Loop Step")
@Category({"pyloom", "asyncio"})
@Description("A step of a pyloom event loop that held the loop longer than the threshold")
@Threshold("100 ms")
@StackTrace(false)
final class LoopStepEvent extends jdk.jfr.Event {

    static final String NAME = "dev.pyloom.LoopStep";

    @Label("Loop")
    String loop;

    @Label("Step")
    @Description("The callback, or the task whose step it was (under handoff, where a task may pass the turn"
            + " straight on, the last task that held it)")
    String step;
}
