/* work.c: two phases on the main thread and a worker thread, for perf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <pthread.h>
static volatile double sink;
__attribute__((noinline)) double leaf_a(int n){double s=0;for(int i=0;i<n;i++)s+=i*0.5;return s;}
__attribute__((noinline)) double leaf_b(int n){double s=1;for(int i=0;i<n;i++)s*=1.0000001;return s;}
__attribute__((noinline)) void mid(int n){sink+=leaf_a(n*3);sink+=leaf_b(n);}
__attribute__((noinline)) void phase_one(void){for(int k=0;k<800;k++)mid(200000+k);}
__attribute__((noinline)) void phase_two(void){for(int k=0;k<1200;k++)sink+=leaf_b(300000+k);}
static void *worker(void *p){(void)p;for(int k=0;k<1200;k++)sink+=leaf_a(400000+k);return NULL;}
int main(void){pthread_t t;phase_one();pthread_create(&t,NULL,worker,NULL);phase_two();pthread_join(t,NULL);printf("%f\n",sink);return 0;}
