package io.disker.core.support;

/**
 * A listener failure carried by a reply.
 *
 * @param type the exception class name
 * @param message the exception message (may be empty)
 * @author Disker team
 * @since 0.1.0
 */
public record RemoteError(String type, String message) {

	/**
	 * Describe an exception.
	 * @param ex the exception
	 * @return the error
	 */
	public static RemoteError of(Throwable ex) {
		String text = ex.getMessage();
		return new RemoteError(ex.getClass().getName(), (text != null) ? text : "");
	}

}
