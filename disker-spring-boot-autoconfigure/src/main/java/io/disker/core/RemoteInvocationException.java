package io.disker.core;

/**
 * Thrown (as the cause of a failed future) when the remote listener that handled a
 * request threw an exception. It carries the remote exception's class name and message;
 * the remote stack trace is not transferred.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class RemoteInvocationException extends DiskerException {

	private static final long serialVersionUID = 1L;

	private final String remoteClassName;

	private final String remoteMessage;

	public RemoteInvocationException(String remoteClassName, String remoteMessage) {
		super("Remote listener failed with " + remoteClassName + ": " + remoteMessage);
		this.remoteClassName = remoteClassName;
		this.remoteMessage = remoteMessage;
	}

	/**
	 * Return the fully qualified class name of the exception the remote listener threw.
	 * @return the class name
	 */
	public String getRemoteClassName() {
		return this.remoteClassName;
	}

	/**
	 * Return the message of the exception the remote listener threw (may be empty).
	 * @return the message
	 */
	public String getRemoteMessage() {
		return this.remoteMessage;
	}

}
