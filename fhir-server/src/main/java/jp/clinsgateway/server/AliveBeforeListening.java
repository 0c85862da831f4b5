package jp.clinsgateway.server;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Says the gateway is alive before the web server opens its port (a phase before the web server's):
 * Spring Boot reports liveness only once the whole start is done, and {@link GatewayStartup} warms up
 * after the port opens, so a liveness probe asking in between would restart a node for taking its time.
 */
@Component
class AliveBeforeListening implements SmartLifecycle {

    private final ApplicationEventPublisher events;
    private volatile boolean running;

    AliveBeforeListening(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void start() {
        AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
