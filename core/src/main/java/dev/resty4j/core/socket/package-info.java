/**
 * Cosockets: {@code ngx.socket.tcp()}, {@code ngx.socket.udp()} and {@code ngx.socket.connect()} with
 * lua-nginx-module's API, results and error strings, on Vert.x, engine-neutral.
 *
 * <p>{@link dev.resty4j.core.socket.Cosockets} is the per-worker-VM machinery (pools, clients, one event
 * loop per worker); {@link dev.resty4j.core.socket.TcpCosocket} and
 * {@link dev.resty4j.core.socket.UdpCosocket} are the socket objects. Operations return Vert.x futures that
 * an engine awaits with {@code Worker.await}; a result a script sees as {@code nil, err[, partial]} is a
 * future failed with {@link dev.resty4j.core.socket.CosocketError}.
 *
 * <p>Where resty4j differs from OpenResty, on purpose:
 * <ul>
 *   <li>Host names are resolved with Vert.x's resolver (the hosts file, then the system's DNS servers), so
 *       no {@code resolver} directive is needed and its address is not used; an unknown name fails with
 *       nginx's "NAME could not be resolved (3: Host not found)".</li>
 *   <li>{@code send} returns once the data is queued on the socket, as a non-blocking {@code send()} the
 *       kernel accepts; it waits (and can time out) only when the peer does not keep up and the queue is
 *       full. An error of a queued write is reported by the next {@code send}.</li>
 *   <li>UDP uses a JDK {@code DatagramChannel} (Vert.x cannot connect a datagram socket, and only a
 *       connected one reports "connection refused"), read on a virtual thread; unix datagram sockets are
 *       not supported.</li>
 *   <li>{@code sslhandshake} with verification trusts {@code lua_ssl_trusted_certificate}, or the JVM's CAs
 *       when it is not set (nginx would fail); a session passed in is accepted but the JDK resumes
 *       sessions by itself; {@code lua_ssl_verify_depth} and the OCSP status request are ignored.</li>
 * </ul>
 */
package dev.resty4j.core.socket;
