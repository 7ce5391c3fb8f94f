package io.netplane.agent.trust;

/**
 * A record read from a topic asks for something the agent does not do on anyone's word: a rule
 * outside netplane's chains, a link that is not one of netplane's, a namespace it may not enter.
 * The message is the reason, as it goes to the dead-letter topic.
 */
public class RefusedRecord extends RuntimeException {
    public RefusedRecord(String reason) {
        super(reason);
    }
}
